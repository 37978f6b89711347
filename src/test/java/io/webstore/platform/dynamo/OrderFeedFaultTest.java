package io.webstore.platform.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.orders.OrdersClient;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.testing.Api;
import io.webstore.testing.BusFailures;
import io.webstore.testing.Engines;
import io.webstore.testing.LostReplies;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The supply.order-status feed ({@code orders.feed}) when the order store keeps failing a read for every attempt the
 * SDK makes: the sender is told to send the batch again (UNAVAILABLE, nothing of the engine's error in the reply), not
 * that something broke inside.
 */
@WebstoreTest
class OrderFeedFaultTest {

  /** The SDK's attempts per call in the test stores ({@code aws.maxAttempts}). */
  private static final int SDK_ATTEMPTS = 3;

  @Shared static Api api;

  @Test
  void anOrderStoreThatKeepsFailingFailsTheBatchAsRetryable() {
    String orderId = "order-fault-" + UUID.randomUUID();
    JsonObject report = new JsonObject().put("order_id", orderId).put("status", "shipped").put("sequence", 1);
    List<LostReplies.Arm> arms = new ArrayList<>();
    for (int attempt = 0; attempt < SDK_ATTEMPTS; attempt++) {
      arms.add(LostReplies.arm("order read " + attempt, request -> request instanceof GetItemRequest get
          && get.tableName().endsWith("orders") && orderId.equals(get.key().get("pk").s())));
    }
    try {
      assertThatThrownBy(() -> feed(report))
          .isInstanceOfSatisfying(ReplyException.class, BusFailures::assertUnavailableWithoutInternals);
      assertThat(arms).as("every fault happened").allMatch(arm -> arm.fired() == 1);
    } finally {
      arms.forEach(LostReplies.Arm::close);
    }

    assertThat(FeedOutcome.outcomes(feed(report))).as("sent again: the store answers")
        .containsExactly(FeedOutcome.rejected("unknown-order: " + orderId));
  }

  private static JsonObject feed(JsonObject... records) {
    return Engines.await(api.store().vertx().eventBus().<JsonObject>request(OrdersClient.FEED,
        new JsonObject().put("records", new JsonArray(List.of((Object[]) records))))).body();
  }
}
