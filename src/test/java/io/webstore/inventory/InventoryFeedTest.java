package io.webstore.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.events.EventSchemas;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inventory side of the supply.inventory feed: batches sent to {@code inventory.feed} as the ingestion verticle
 * sends them, checked through the admin HTTP endpoints and the live ledger.
 */
@WebstoreTest
class InventoryFeedTest {

  @Shared static Api api;
  static InventoryBus bus;
  static String admin;

  @BeforeAll
  static void start() {
    bus = new InventoryBus(api.store().vertx());
    admin = api.tokenFor("admin-" + UUID.randomUUID(), "admin@webstore.local", List.of("admin"));
  }

  static JsonObject record(String sku, String warehouse, long onHand, long sequence) {
    return new JsonObject().put("sku", sku).put("warehouse", warehouse).put("on_hand", onHand)
        .put("sequence", sequence);
  }

  static List<String> outcomes(InventoryBus to, JsonObject... records) {
    JsonObject reply = to.call(InventoryClient.FEED, new JsonObject().put("records", new JsonArray(List.of(records))));
    return reply.getJsonArray("outcomes").stream().map(o -> {
      JsonObject outcome = (JsonObject) o;
      return outcome.getString("status") + (outcome.containsKey("reason") ? " " + outcome.getString("reason") : "");
    }).toList();
  }

  /** A product the catalog knows (created over HTTP); its stock is not set. */
  static String product(Api on, String adminToken) {
    String sku = "FEED-" + UUID.randomUUID().toString().substring(0, 13);
    HttpResponse<Buffer> created = on.call(HttpMethod.PUT, "/api/v1/admin/products/" + sku, adminToken,
        new JsonObject().put("name", "Feed item " + sku).put("description", "A product for feed tests")
            .put("price", new JsonObject().put("amount", "4.00").put("currency", "USD"))
            .put("category", "feed-tests"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return sku;
  }

  private static HttpResponse<Buffer> setStock(String sku, JsonObject body) {
    return api.call(HttpMethod.PUT, "/api/v1/admin/inventory/" + sku, admin, body);
  }

  private static JsonObject stock(String sku) {
    HttpResponse<Buffer> level = api.get("/api/v1/admin/inventory/" + sku, admin);
    assertThat(level.statusCode()).as(level.bodyAsString()).isEqualTo(200);
    return level.bodyAsJsonObject();
  }

  @Test
  void aRecordForAnotherWarehouseAddsToTheAdminStockAndStaleOrReplayedRecordsChangeNothing() {
    String sku = product(api, admin);
    HttpResponse<Buffer> set = setStock(sku, new JsonObject().put("on_hand", 10));
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);

    JsonObject east = record(sku, "WH-EAST", 777, 5);
    assertThat(outcomes(bus, east)).containsExactly("applied");
    JsonObject level = stock(sku);
    assertThat(level.getJsonObject("warehouses").getMap()).isEqualTo(Map.of("WH-DEFAULT", 10, "WH-EAST", 777));
    assertThat(level.getInteger("on_hand")).isEqualTo(787);
    assertThat(level.getInteger("available")).isEqualTo(787);
    assertThat(bus.available(sku)).isEqualTo(787);

    // an equal and a lower sequence for that warehouse: ignored
    assertThat(outcomes(bus, record(sku, "WH-EAST", 1, 5), record(sku, "WH-EAST", 2, 4)))
        .containsExactly("stale", "stale");
    // the first batch again, as a resend after a lost reply
    assertThat(outcomes(bus, east)).containsExactly("stale");
    assertThat(stock(sku)).isEqualTo(level);
    assertThat(bus.available(sku)).isEqualTo(787);
  }

  @Test
  void adminWritesWithASequenceAreOrderedAgainstTheFeedAndWithoutOneLeaveTheSequencesAlone() {
    String sku = product(api, admin);
    assertThat(outcomes(bus, record(sku, "WH-EAST", 40, 7), record(sku, "WH-DEFAULT", 5, 2)))
        .containsExactly("applied", "applied");

    // sequence 3: newer than the default warehouse's 2, older than WH-EAST's 7, which keeps its count
    HttpResponse<Buffer> newer = setStock(sku, new JsonObject().put("on_hand", 12).put("sequence", 3));
    assertThat(newer.statusCode()).as(newer.bodyAsString()).isEqualTo(200);
    assertThat(newer.bodyAsJsonObject().getJsonObject("warehouses").getMap())
        .isEqualTo(Map.of("WH-DEFAULT", 12, "WH-EAST", 40));

    // sequence 3 again: no warehouse is behind it any more
    HttpResponse<Buffer> stale = setStock(sku, new JsonObject().put("on_hand", 99).put("sequence", 3));
    assertThat(stale.statusCode()).as(stale.bodyAsString()).isEqualTo(409);
    assertThat(stale.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(stale.bodyAsJsonObject().getString("type")).isEqualTo("/problems/conflict");
    assertThat(stale.bodyAsJsonObject().getString("detail")).startsWith("stale");
    assertThat(stock(sku).getInteger("on_hand")).isEqualTo(52);
    assertThat(outcomes(bus, record(sku, "WH-DEFAULT", 1, 3))).as("the feed sees the admin's sequence")
        .containsExactly("stale");

    // without a sequence: written as before (WH-EAST zeroed), no sequence checked or moved
    HttpResponse<Buffer> plain = setStock(sku, new JsonObject().put("on_hand", 6));
    assertThat(plain.statusCode()).as(plain.bodyAsString()).isEqualTo(200);
    assertThat(plain.bodyAsJsonObject().getJsonObject("warehouses").getMap())
        .isEqualTo(Map.of("WH-DEFAULT", 6, "WH-EAST", 0));
    assertThat(outcomes(bus, record(sku, "WH-EAST", 30, 7), record(sku, "WH-EAST", 20, 8)))
        .containsExactly("stale", "applied");
    assertThat(stock(sku).getJsonObject("warehouses").getMap()).isEqualTo(Map.of("WH-DEFAULT", 6, "WH-EAST", 20));
    assertThat(bus.available(sku)).isEqualTo(26);

    HttpResponse<Buffer> negative = setStock(sku, new JsonObject().put("on_hand", 1).put("sequence", -1));
    assertThat(negative.statusCode()).as(negative.bodyAsString()).isEqualTo(422);
  }

  @Test
  void aBatchWritesOnlyTheNewestRecordPerWarehouseAndRejectsWhatCanNeverApply() {
    String sku = product(api, admin);
    String unknown = "NOPE-" + UUID.randomUUID().toString().substring(0, 13);
    MeterRegistry meters = api.store().services().meters();
    double appliedBefore = count(meters, "applied", "none");
    double unknownBefore = count(meters, "rejected", "unknown-sku");

    assertThat(outcomes(bus,
        record(sku, "WH-1", 5, 1),
        record(sku, "WH-1", 9, 3),
        record(sku, "WH-2", 4, 1),
        record(sku, "WH-1", 7, 2),
        record(unknown, "WH-1", 3, 1),
        record(sku, "WH-3", -1, 1),
        record(sku, "WH#3", 1, 1),
        record(sku, "WH-3", 1, -4)))
        .containsExactly("stale", "applied", "applied", "stale", "rejected unknown-sku: " + unknown,
            "rejected invalid-on-hand: -1", "rejected invalid-warehouse: WH#3", "rejected invalid-sequence: -4");
    JsonObject level = stock(sku);
    assertThat(level.getJsonObject("warehouses").getMap()).isEqualTo(Map.of("WH-1", 9, "WH-2", 4));
    assertThat(level.getInteger("available")).isEqualTo(13);
    assertThat(count(meters, "applied", "none") - appliedBefore).isGreaterThanOrEqualTo(2);
    assertThat(count(meters, "rejected", "unknown-sku") - unknownBefore).isGreaterThanOrEqualTo(1);
    assertThat(meters.find("webstore.inventory.feed.batch").tag("outcome", "success").timer()).isNotNull();
    Throwable notStocked = Engines.awaitFailure(bus.send(InventoryClient.GET, new JsonObject().put("sku", unknown)),
        Duration.ofSeconds(30));
    assertThat(notStocked).as("an unknown SKU gets no stock").isInstanceOf(NotFound.class);
  }

  private static double count(MeterRegistry meters, String outcome, String reason) {
    var counter = meters.find("webstore.inventory.feed.records").tag("outcome", outcome).tag("reason", reason)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aReplayAfterACrashBetweenShardWritesWritesTheShardsStillBehindWithWhatIsLeftOfTheCount() {
    InventoryFaults faults = new InventoryFaults();
    WebStore store = faults.startStore(new JsonObject().put("inventory", new JsonObject().put("shards", 2)));
    try {
      InventoryBus sharded = new InventoryBus(store.vertx());
      String sku = product(api, admin);
      assertThat(outcomes(sharded, record(sku, "WH-EAST", 4, 1))).containsExactly("applied");
      String holdId = InventoryBus.holdId();
      Engines.await(sharded.hold(holdId, InventoryBus.line(sku, 2))); // two units held from shard 0 (2 + 2)

      // 9 units: shard 0 covers its 2 held units and gets 2 + 4 = 6, shard 1 gets 3; the write stops after shard 0
      faults.crashAfterFirstShard(sku);
      JsonObject recount = new JsonObject().put("records", new JsonArray().add(record(sku, "WH-EAST", 9, 2)));
      Throwable crashed = Engines.awaitFailure(sharded.send(InventoryClient.FEED, recount), Duration.ofSeconds(30));
      assertThat(crashed).isInstanceOf(Unavailable.class);
      assertThat(faults.fired()).isEqualTo(1);
      assertThat(stock(sku).getInteger("on_hand")).as("shard 0 at sequence 2, shard 1 still at 1").isEqualTo(8);

      // the hold goes before the resend: a fresh plan would now give 5 + 4 and the total would be 10
      assertThat(Engines.await(sharded.release(holdId)).getBoolean("returned")).isTrue();
      assertThat(outcomes(sharded, record(sku, "WH-EAST", 9, 2))).containsExactly("applied");
      JsonObject level = stock(sku);
      assertThat(level.getJsonObject("warehouses").getMap()).isEqualTo(Map.of("WH-EAST", 9));
      assertThat(level.getInteger("held")).isZero();
      assertThat(level.getInteger("available")).isEqualTo(9);
      assertThat(sharded.available(sku)).isEqualTo(9);
      assertThat(outcomes(sharded, record(sku, "WH-EAST", 9, 2))).as("no shard is behind any more")
          .containsExactly("stale");
      assertThat(stock(sku)).isEqualTo(level);
    } finally {
      Engines.await(store.stop(), Duration.ofSeconds(60));
    }
  }

  @Test
  void crossingTheLowStockThresholdAndReachingZeroArePublishedAsEventsOfTheirSchemas() {
    String sku = product(api, admin);
    List<CloudEvent> seen = new CopyOnWriteArrayList<>();
    List<MessageConsumer<JsonObject>> consumers = Stream
        .of(EventType.INVENTORY_LOW_STOCK, EventType.INVENTORY_SOLD_OUT)
        .map(type -> api.store().vertx().eventBus().<JsonObject>consumer(type.address(), message -> {
          if (sku.equals(message.body().getString("subject"))) {
            seen.add(EventSchemas.valid(message.body().encode()));
          }
        }))
        .toList();
    try {
      assertThat(outcomes(bus, record(sku, "WH-NORTH", 20, 1))).containsExactly("applied");
      assertThat(outcomes(bus, record(sku, "WH-NORTH", 4, 2))).containsExactly("applied");
      Deadline.await("the low-stock event", Duration.ofSeconds(10), () -> seen.size() == 1);
      assertThat(outcomes(bus, record(sku, "WH-NORTH", 0, 3))).containsExactly("applied");
      Deadline.await("the sold-out event", Duration.ofSeconds(10), () -> seen.size() == 2);
      assertThat(seen).extracting(CloudEvent::getType)
          .containsExactly("webstore.inventory.low-stock", "webstore.inventory.sold-out");
      assertThat(Events.data(seen.get(0)).getMap()).isEqualTo(Map.of("sku", sku, "available", 4, "threshold", 5));
      assertThat(Events.data(seen.get(1)).getMap()).isEqualTo(Map.of("sku", sku));
    } finally {
      consumers.forEach(consumer -> Engines.await(consumer.unregister()));
    }
  }

  @Test
  void aCommitThatStockNoLongerCoversIsAbandonedAndItsHoldReleased() {
    String sku = product(api, admin);
    assertThat(setStock(sku, new JsonObject().put("on_hand", 3)).statusCode()).isEqualTo(200);
    String first = InventoryBus.holdId();
    String second = InventoryBus.holdId();
    Engines.await(bus.hold(first, InventoryBus.line(sku, 2)));
    Engines.await(bus.hold(second, InventoryBus.line(sku, 1)));
    assertThat(outcomes(bus, record(sku, "WH-DEFAULT", 2, 1))).containsExactly("applied");
    assertThat(bus.available(sku)).as("never negative").isZero();
    assertThat(stock(sku).getInteger("available")).isZero();

    Engines.await(bus.commit(first));
    Throwable abandoned = Engines.awaitFailure(bus.commit(second), Duration.ofSeconds(30));
    assertThat(abandoned).isInstanceOf(Conflict.class).hasMessageContaining("could not be committed");
    Throwable again = Engines.awaitFailure(bus.commit(second), Duration.ofSeconds(30));
    assertThat(again).isInstanceOf(Conflict.class);
    JsonObject level = stock(sku);
    assertThat(level.getInteger("on_hand")).isZero();
    assertThat(level.getInteger("held")).isZero();
    assertThat(level.getInteger("available")).isZero();
    assertThat(bus.available(sku)).isZero();
  }
}
