package io.webstore.events;

import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;
import io.webstore.platform.events.Outbox;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Relay throughput against the dev engines (all in this JVM): writes {@code bench.items} order items, each with one
 * pending {@code webstore.order.placed} in its outbox, then starts a store whose relay sends them to the order queue
 * and Kafka, and measures from the store's start (ready) until the outbox index is empty. Prints
 * {@code RESULT relay items=<n> deliveries=<n> seconds=<s> events_per_s=<n>} (deliveries = items × 2 destinations).
 * {@code make bench-relay [BENCH_RELAY_ITEMS=2000]}.
 */
public final class RelayBenchMain {

  private RelayBenchMain() {}

  public static void main(String[] args) {
    int items = Integer.getInteger("bench.items", 2000);
    WebStore idle = Engines.shared().app(); // creates the tables; relays nothing
    String table = idle.services().config().dynamo().table("orders");
    DynamoTable orders = DynamoTable.of(idle.vertx(), idle.services().aws().dynamo(), idle.services().meters(),
        "webstore.bench.dynamo.calls", table, "pk");
    String run = Long.toString(System.currentTimeMillis(), 36);
    List<Map<String, AttributeValue>> written = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < items; i++) {
      String id = "bench-" + run + "-" + i;
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS(id));
      item.put("created_at", AttributeValue.fromS(now.toString()));
      Outbox.putInto(item, id, List.of(Events.create(id + ":1", EventType.ORDER_PLACED, id, now, new JsonObject()
          .put("id", id).put("customer_id", "bench"))));
      written.add(item);
    }
    Engines.await(orders.batchPut(written, 4), Duration.ofMinutes(5));
    System.out.println("bench.relay written=" + items + " pending=" + pending(orders));

    try (EventsOut out = new EventsOut()) {
      out.start(new JsonObject().put("events", new JsonObject().put("pollIntervalMs", 50)));
      long started = System.nanoTime(); // from the store's start: its relay begins with its first poll
      long lastPending = -1;
      while (true) {
        long pending = pending(orders);
        if (pending != lastPending) {
          System.out.println("bench.relay pending=" + pending + " after_ms="
              + (System.nanoTime() - started) / 1_000_000);
          lastPending = pending;
        }
        if (pending == 0) {
          break;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("RESULT relay items=%d deliveries=%d seconds=%.1f events_per_s=%.0f%n", items, items * 2,
          seconds, items * 2 / seconds);
    }
    System.exit(0);
  }

  private static long pending(DynamoTable orders) {
    long count = 0;
    for (String shard : Outbox.shards()) {
      count += Engines.await(orders.call("count", () -> orders.client().query(query -> query
          .tableName(orders.name()).indexName(Outbox.INDEX).select(Select.COUNT)
          .keyConditionExpression("#pending = :shard")
          .expressionAttributeNames(Map.of("#pending", Outbox.PENDING))
          .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shard)))))).count();
    }
    return count;
  }
}
