package io.webstore.catalog;

import static io.webstore.catalog.CatalogFixtures.adminToken;
import static io.webstore.catalog.CatalogFixtures.assertProblem;
import static io.webstore.catalog.CatalogFixtures.getProduct;
import static io.webstore.catalog.CatalogFixtures.productBody;
import static io.webstore.catalog.CatalogFixtures.putProduct;
import static io.webstore.catalog.CatalogFixtures.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.events.EventSchemas;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The pim.products feed through its address ({@code catalog.feed}, as the ingestion verticle sends it) on the shared
 * store, read back through HTTP: a record is a product document as the admin PUT takes it with {@code sku},
 * {@code sequence} and {@code deleted}; writes apply only over a smaller stored sequence.
 */
@WebstoreTest
class CatalogFeedTest {

  @Shared static Api api;

  @Test
  void aNewProductAppearsInReadsAndListing() {
    String sku = uniqueSku("FEEDNEW");
    String category = category();
    assertThat(feed(put(sku, 1, "Fed kettle", "31.00", category))).containsExactly(FeedOutcome.applied());

    HttpResponse<Buffer> read = getProduct(api, sku);
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    JsonObject product = read.bodyAsJsonObject();
    assertThat(product.getString("name")).isEqualTo("Fed kettle");
    assertThat(product.getJsonObject("price")).isEqualTo(new JsonObject().put("amount", "31.00").put("currency",
        "USD"));
    assertThat(product.getJsonObject("attributes")).isEqualTo(productBody("x", "1", "x").getJsonObject("attributes"));
    assertThat(listed(category)).containsExactly(sku);
  }

  @Test
  void aHigherSequenceReplacesTheProductAndItsEntityTag() {
    String sku = uniqueSku("FEEDUPD");
    String category = category();
    feed(put(sku, 1, "Version one", "10.00", category));
    HttpResponse<Buffer> first = getProduct(api, sku);
    assertThat(first.bodyAsJsonObject().getString("name")).isEqualTo("Version one");

    assertThat(feed(put(sku, 2, "Version two", "12.50", category))).containsExactly(FeedOutcome.applied());
    HttpResponse<Buffer> second = getProduct(api, sku);
    assertThat(second.bodyAsJsonObject().getString("name")).isEqualTo("Version two");
    assertThat(second.bodyAsJsonObject().getJsonObject("price").getString("amount")).isEqualTo("12.50");
    assertThat(second.getHeader("ETag")).isNotBlank().isNotEqualTo(first.getHeader("ETag"));
    HttpResponse<Buffer> revalidated = Engines.await(api.request(HttpMethod.GET, "/api/v1/products/" + sku, null)
        .putHeader("If-None-Match", first.getHeader("ETag")).send());
    assertThat(revalidated.statusCode()).as("the old entity tag no longer matches").isEqualTo(200);
    assertThat(api.get("/api/v1/products?category=" + category, null).bodyAsJsonObject().getJsonArray("items")
        .getJsonObject(0).getString("name")).isEqualTo("Version two");
  }

  @Test
  void aStaleUpdateIsIgnored() {
    String sku = uniqueSku("FEEDSTALE");
    feed(put(sku, 5, "Current", "10.00", "feed"));
    HttpResponse<Buffer> before = getProduct(api, sku);

    assertThat(feed(put(sku, 4, "Older", "9.00", "feed"))).containsExactly(FeedOutcome.stale());
    HttpResponse<Buffer> after = getProduct(api, sku);
    assertThat(after.bodyAsJsonObject().getString("name")).isEqualTo("Current");
    assertThat(after.getHeader("ETag")).isEqualTo(before.getHeader("ETag"));
  }

  @Test
  void aDeleteHidesTheProductAndALateOlderUpsertDoesNotBringItBack() {
    String sku = uniqueSku("FEEDDEL");
    String category = category();
    feed(put(sku, 1, "Doomed", "10.00", category));
    assertThat(getProduct(api, sku).statusCode()).isEqualTo(200); // cached in every tier now

    assertThat(feed(delete(sku, 3))).containsExactly(FeedOutcome.applied());
    assertProblem(getProduct(api, sku), 404);
    assertThat(listed(category)).isEmpty();

    assertThat(feed(put(sku, 2, "Late", "11.00", category))).containsExactly(FeedOutcome.stale());
    assertProblem(getProduct(api, sku), 404);
    assertThat(listed(category)).isEmpty();
    assertProblem(api.call(HttpMethod.DELETE, "/api/v1/admin/products/" + sku, adminToken(api), null), 404);

    assertThat(feed(put(sku, 4, "Back", "12.00", category))).containsExactly(FeedOutcome.applied());
    assertThat(getProduct(api, sku).bodyAsJsonObject().getString("name")).isEqualTo("Back");
  }

  @Test
  void aReplayedBatchChangesNothingAndAnswersTheSame() {
    String kept = uniqueSku("FEEDREPA");
    String removed = uniqueSku("FEEDREPB");
    String category = category();
    JsonObject[] batch = {
        put(kept, 1, "First", "10.00", category),
        put(removed, 7, "Removed soon", "10.00", category),
        put(kept, 2, "Second", "11.00", category),
        delete(removed, 8)};
    List<FeedOutcome> first = feed(batch);
    assertThat(first).containsExactly(FeedOutcome.stale(), FeedOutcome.stale(), FeedOutcome.applied(),
        FeedOutcome.applied());
    HttpResponse<Buffer> before = getProduct(api, kept);

    List<FeedOutcome> again = feed(batch); // the reply was lost: the sender sends the batch again
    assertThat(again).as("already applied by the first delivery").isEqualTo(first);
    HttpResponse<Buffer> after = getProduct(api, kept);
    assertThat(after.bodyAsJsonObject().getString("name")).isEqualTo("Second");
    assertThat(after.getHeader("ETag")).as("not written again").isEqualTo(before.getHeader("ETag"));
    assertProblem(getProduct(api, removed), 404);
    assertThat(listed(category)).containsExactly(kept);
  }

  @Test
  void anInvalidDocumentIsRejectedWithItsReasonAndTheRestApplies() {
    String bad = uniqueSku("FEEDBAD");
    String good = uniqueSku("FEEDGOOD");
    JsonObject broken = put(bad, 1, "Broken", "12,50", "feed");
    broken.put("colour", "red");
    double before = rejected("invalid-product");

    List<FeedOutcome> outcomes = feed(broken, put(good, 1, "Fine", "3.00", "feed"),
        put(uniqueSku("FEEDNEG"), -1, "Negative", "3.00", "feed"));
    assertThat(outcomes.get(0).status()).isEqualTo(FeedOutcome.Status.REJECTED);
    assertThat(outcomes.get(0).reason())
        .startsWith("invalid-product: ")
        .contains("/price/amount amount must be a decimal string")
        .contains("/colour unknown field colour");
    assertThat(outcomes.get(1)).isEqualTo(FeedOutcome.applied());
    assertThat(outcomes.get(2)).isEqualTo(FeedOutcome.rejected(
        "invalid-record: sequence must be a non-negative integer"));
    assertProblem(getProduct(api, bad), 404);
    assertThat(getProduct(api, good).statusCode()).isEqualTo(200);
    assertThat(rejected("invalid-product") - before).isEqualTo(1);
  }

  @Test
  void recordsOfOneSkuInABatchAreCoalescedToTheHighestSequence() {
    String sku = uniqueSku("FEEDCOAL");
    double appliedBefore = counter("applied", "none");
    double staleBefore = counter("stale", "none");

    List<FeedOutcome> outcomes = feed(put(sku, 3, "Three", "3.00", "feed"), put(sku, 5, "Five", "5.00", "feed"),
        put(sku, 4, "Four", "4.00", "feed"));
    assertThat(outcomes).containsExactly(FeedOutcome.stale(), FeedOutcome.applied(), FeedOutcome.stale());
    assertThat(getProduct(api, sku).bodyAsJsonObject().getString("name")).isEqualTo("Five");
    assertThat(feed(put(sku, 4, "Four", "4.00", "feed"))).as("5 was stored, not 4").containsExactly(
        FeedOutcome.stale());
    assertThat(counter("applied", "none") - appliedBefore).isEqualTo(1);
    assertThat(counter("stale", "none") - staleBefore).isEqualTo(3);
  }

  @Test
  void eachAppliedRecordPublishesAProductChangedEventWithAStableId() {
    String kept = uniqueSku("FEEDEVTA");
    String removed = uniqueSku("FEEDEVTB");
    List<CloudEvent> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = api.store().vertx().eventBus().consumer(
        EventType.PRODUCT_CHANGED.address(), msg -> {
          CloudEvent event = EventSchemas.valid(msg.body().encode());
          if (List.of(kept, removed).contains(event.getSubject())) {
            events.add(event);
          }
        });
    try {
      Engines.await(consumer.completion());
      JsonObject[] batch = {put(kept, 1, "Evented", "1.00", "feed"), delete(removed, 1),
          put(kept, 0, "Stale", "1.00", "feed")};
      feed(batch);
      Deadline.await("two events", Duration.ofSeconds(5), () -> events.size() >= 2);
      assertThat(events).hasSize(2);
      assertThat(events.stream().map(event -> Events.data(event))).containsExactlyInAnyOrder(
          new JsonObject().put("sku", kept).put("change", "put"),
          new JsonObject().put("sku", removed).put("change", "delete"));
      List<String> ids = events.stream().map(CloudEvent::getId).toList();

      feed(batch);
      Deadline.await("two more events", Duration.ofSeconds(5), () -> events.size() >= 4);
      assertThat(events).hasSize(4);
      assertThat(events.subList(2, 4).stream().map(CloudEvent::getId)).as("a replay repeats the ids")
          .containsExactlyInAnyOrderElementsOf(ids);
    } finally {
      Engines.await(consumer.unregister());
    }
  }

  @Test
  void adminWritesKeepTheFeedSequence() {
    String sku = uniqueSku("FEEDADM");
    String admin = adminToken(api);
    feed(put(sku, 5, "From the PIM", "10.00", "feed"));
    HttpResponse<Buffer> edited = putProduct(api, admin, sku, productBody("Edited by hand", "9.00", "feed"));
    assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);

    assertThat(feed(put(sku, 4, "Older", "8.00", "feed"))).containsExactly(FeedOutcome.stale());
    assertThat(getProduct(api, sku).bodyAsJsonObject().getString("name")).isEqualTo("Edited by hand");
    assertThat(feed(put(sku, 6, "Newer", "8.00", "feed"))).containsExactly(FeedOutcome.applied());
    assertThat(getProduct(api, sku).bodyAsJsonObject().getString("name")).isEqualTo("Newer");

    assertThat(api.call(HttpMethod.DELETE, "/api/v1/admin/products/" + sku, admin, null).statusCode())
        .isEqualTo(204);
    assertThat(feed(put(sku, 6, "Newer", "8.00", "feed"))).as("the admin delete kept sequence 6")
        .containsExactly(FeedOutcome.applied());
    assertProblem(getProduct(api, sku), 404);
  }

  @Test
  void fullBatchesApplyEveryRecordAndTheListingShowsThemAll() {
    String category = category();
    int batches = 4;
    int perBatch = 1000; // the contract's maximum
    List<JsonObject[]> sent = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      JsonObject[] batch = new JsonObject[perBatch];
      for (int i = 0; i < perBatch; i++) {
        batch[i] = put(uniqueSku("FEEDBULK"), 1, "Bulk " + b + "/" + i, "2.00", category);
      }
      sent.add(batch);
    }
    long started = System.nanoTime();
    for (JsonObject[] batch : sent) {
      assertThat(feed(batch)).hasSize(perBatch).allMatch(outcome -> outcome.equals(FeedOutcome.applied()));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long replayStarted = System.nanoTime();
    for (JsonObject[] batch : sent) {
      assertThat(feed(batch)).allMatch(outcome -> outcome.equals(FeedOutcome.applied()));
    }
    double replaySeconds = (System.nanoTime() - replayStarted) / 1e9;
    // how fast depends on the shared machine and dynalite, so it is printed rather than asserted
    System.out.printf("catalog.feed.records_per_s=%.0f replay_records_per_s=%.0f records=%d%n",
        batches * perBatch / seconds, batches * perBatch / replaySeconds, batches * perBatch);
    assertThat(api.get("/api/v1/products?category=" + category + "&size=1", null).bodyAsJsonObject()
        .getInteger("total")).isEqualTo(batches * perBatch);
    JsonObject last = sent.get(batches - 1)[perBatch - 1];
    assertThat(getProduct(api, last.getString("sku")).bodyAsJsonObject().getString("name"))
        .isEqualTo(last.getString("name"));
  }

  // ---- helpers

  private static List<FeedOutcome> feed(JsonObject... records) {
    JsonObject reply = Engines.await(api.store().vertx().eventBus().<JsonObject>request(CatalogClient.FEED,
        new JsonObject().put("records", new JsonArray(Arrays.asList((Object[]) records))))).body();
    return FeedOutcome.outcomes(reply);
  }

  private static JsonObject put(String sku, long sequence, String name, String amount, String category) {
    return productBody(name, amount, category).put("sku", sku).put("sequence", sequence).put("deleted", false);
  }

  private static JsonObject delete(String sku, long sequence) {
    return new JsonObject().put("sku", sku).put("sequence", sequence).put("deleted", true);
  }

  private static String category() {
    return "feed-" + uniqueSku("c").substring(2).toLowerCase();
  }

  private static List<String> listed(String category) {
    JsonArray items = api.get("/api/v1/products?category=" + category, null).bodyAsJsonObject()
        .getJsonArray("items");
    List<String> skus = new ArrayList<>();
    items.forEach(item -> skus.add(((JsonObject) item).getString("sku")));
    return skus;
  }

  private static double rejected(String reason) {
    return counter("rejected", reason);
  }

  private static double counter(String outcome, String reason) {
    MeterRegistry meters = api.store().services().meters();
    Counter counter = meters.find(CatalogFeed.RECORDS).tag("outcome", outcome).tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
