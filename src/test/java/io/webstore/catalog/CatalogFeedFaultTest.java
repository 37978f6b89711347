package io.webstore.catalog;

import static io.webstore.catalog.CatalogFixtures.getProduct;
import static io.webstore.catalog.CatalogFixtures.productBody;
import static io.webstore.catalog.CatalogFixtures.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.error.Kind;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.testing.Api;
import io.webstore.testing.BusFailures;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.LostReplies;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The pim.products feed when the product store fails a batch for a while: the sender must be told to send the batch
 * again (UNAVAILABLE, nothing of the engine's error in the reply), and the batch sent again applies as if nothing had
 * happened. The fault is a slow engine's: the write lands, its reply is lost, and the read that judges the retried
 * write loses every reply the SDK's attempts get.
 */
@WebstoreTest
class CatalogFeedFaultTest {

  /** The SDK's attempts per call in the test stores ({@code aws.maxAttempts}). */
  private static final int SDK_ATTEMPTS = 3;

  @Shared static Api api;

  @Test
  void aStoreThatKeepsFailingFailsTheBatchAsRetryableAndTheResentBatchApplies() {
    String failing = uniqueSku("FEEDFAULT");
    String other = uniqueSku("FEEDFINE");
    JsonObject[] batch = {put(failing, 1, "Slow engine"), put(other, 1, "Fine")};
    List<LostReplies.Arm> arms = new ArrayList<>();
    arms.add(LostReplies.arm("feed put", request -> request instanceof PutItemRequest put
        && put.tableName().endsWith("products") && failing.equals(put.item().get("sku").s())));
    for (int attempt = 0; attempt < SDK_ATTEMPTS; attempt++) {
      arms.add(LostReplies.arm("feed put read-back " + attempt, getOf(failing)));
    }
    try {
      assertThatThrownBy(() -> feed(batch))
          .isInstanceOfSatisfying(ReplyException.class, failure -> {
            BusFailures.assertUnavailableWithoutInternals(failure);
            assertThat(new JsonObject(failure.getMessage()).getString("detail")).doesNotContain("lost");
          });
      assertThat(arms).as("every fault happened").allMatch(arm -> arm.fired() == 1);
    } finally {
      arms.forEach(LostReplies.Arm::close);
    }

    assertThat(feed(batch)).as("sent again: the lost write had landed, the other was written")
        .containsExactly(FeedOutcome.applied(), FeedOutcome.applied());
    assertThat(getProduct(api, failing).bodyAsJsonObject().getString("name")).isEqualTo("Slow engine");
    assertThat(getProduct(api, other).bodyAsJsonObject().getString("name")).isEqualTo("Fine");
  }

  /**
   * The inventory feed asks the catalog ({@code catalog.price}) which SKUs it knows; a catalog whose store does not
   * answer makes that batch retryable too, not an internal error.
   */
  @Test
  void aCatalogStoreThatKeepsFailingFailsAnInventoryFeedBatchAsRetryable() {
    String unknown = uniqueSku("INVFAULT");
    JsonObject record = new JsonObject().put("sku", unknown).put("warehouse", "WH-FAULT").put("on_hand", 3)
        .put("sequence", 1);
    List<LostReplies.Arm> arms = new ArrayList<>();
    for (int attempt = 0; attempt < SDK_ATTEMPTS; attempt++) {
      arms.add(LostReplies.arm("catalog read " + attempt, getOf(unknown)));
    }
    try {
      assertThatThrownBy(() -> inventoryFeed(record))
          .isInstanceOfSatisfying(ReplyException.class, BusFailures::assertUnavailableWithoutInternals);
      assertThat(arms).as("every fault happened").allMatch(arm -> arm.fired() == 1);
    } finally {
      arms.forEach(LostReplies.Arm::close);
    }

    // as the feed's sender does, after a backoff: a read that shared the failed load may still see its failure
    JsonObject answered = Deadline.until("the resent batch answered", Duration.ofSeconds(10), () -> {
      try {
        return inventoryFeed(record);
      } catch (ReplyException failure) {
        if (failure.failureCode() != Kind.UNAVAILABLE.code()) {
          throw failure;
        }
        return null;
      }
    });
    assertThat(FeedOutcome.outcomes(answered)).as("sent again: the catalog answers")
        .containsExactly(FeedOutcome.rejected("unknown-sku: " + unknown));
  }

  private static Predicate<SdkRequest> getOf(String sku) {
    return request -> request instanceof GetItemRequest get && get.tableName().endsWith("products")
        && sku.equals(get.key().get("sku").s());
  }

  private static List<FeedOutcome> feed(JsonObject... records) {
    JsonObject reply = Engines.await(api.store().vertx().eventBus().<JsonObject>request(CatalogClient.FEED,
        new JsonObject().put("records", new JsonArray(Arrays.asList((Object[]) records))))).body();
    return FeedOutcome.outcomes(reply);
  }

  private static JsonObject inventoryFeed(JsonObject... records) {
    return Engines.await(api.store().vertx().eventBus().<JsonObject>request(InventoryClient.FEED,
        new JsonObject().put("records", new JsonArray(Arrays.asList((Object[]) records))))).body();
  }

  private static JsonObject put(String sku, long sequence, String name) {
    return productBody(name, "4.00", "feed-fault").put("sku", sku).put("sequence", sequence).put("deleted", false);
  }
}
