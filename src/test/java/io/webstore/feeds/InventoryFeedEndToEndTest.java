package io.webstore.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The {@code supply.inventory} feed end to end: an admin sets a SKU over HTTP, records for another warehouse go
 * through the broker, the store's feed consumer and {@code inventory.feed}, and the admin HTTP reads show the sum; a
 * stale record for that warehouse, committed like any other, changes nothing.
 */
@WebstoreTest
class InventoryFeedEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aWarehouseRecordThroughTheBrokerAddsToTheAdminStockAndAStaleOneChangesNothing(Stores stores)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String topic = "supply.inventory.test-" + run;
    String group = "feeds-inventory-test-" + run;
    String bootstrap = Engines.shared().devServices().endpoints().kafkaBootstrap();
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
      WebStore store = stores.start(new JsonObject().put("feeds", new JsonObject()
          .put("enabled", true)
          .put("pollTimeoutMs", 100)
          .put("topics", new JsonObject()
              .put("pim.products", new JsonObject().put("enabled", false))
              .put("supply.order-status", new JsonObject().put("enabled", false))
              .put("supply.inventory", new JsonObject().put("enabled", true).put("topic", topic)
                  .put("group", group)))));
      Api api = stores.api(store);
      String adminToken = api.tokenFor("admin-" + run, "admin@webstore.local", List.of("admin"));
      String sku = "E2E-" + run;
      HttpResponse<Buffer> created = api.call(HttpMethod.PUT, "/api/v1/admin/products/" + sku, adminToken,
          new JsonObject().put("name", "Feed end to end " + sku).put("description", "A product for the feed test")
              .put("price", new JsonObject().put("amount", "4.00").put("currency", "USD"))
              .put("category", "feed-tests"));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      HttpResponse<Buffer> set = api.call(HttpMethod.PUT, "/api/v1/admin/inventory/" + sku, adminToken,
          new JsonObject().put("on_hand", 10));
      assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);

      Properties producing = new Properties();
      producing.put("bootstrap.servers", bootstrap);
      producing.put("acks", "all");
      producing.put("key.serializer", StringSerializer.class.getName());
      producing.put("value.serializer", StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producing)) {
        producer.send(new ProducerRecord<>(topic, sku, record(sku, "WH-EAST", 777, 10))).get(30, TimeUnit.SECONDS);
        JsonObject level = Deadline.until("the record applied", WAIT, () -> {
          JsonObject now = stock(api, adminToken, sku);
          return now.getInteger("available") == 787 ? now : null;
        });
        assertThat(level.getJsonObject("warehouses").getMap()).isEqualTo(Map.of("WH-DEFAULT", 10, "WH-EAST", 777));
        assertThat(level.getInteger("on_hand")).isEqualTo(787);

        // a stale record for that warehouse: read, committed, and nothing changes
        producer.send(new ProducerRecord<>(topic, sku, record(sku, "WH-EAST", 5, 9))).get(30, TimeUnit.SECONDS);
        Deadline.await("the stale record committed", WAIT, () -> {
          try {
            return lag(admin, topic, group) == 0;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        assertThat(stock(api, adminToken, sku)).isEqualTo(level);
        assertThat(FeedKit.count(store, "webstore.feed.records", "topic", "supply.inventory", "outcome", "stale"))
            .isEqualTo(1.0);
        assertThat(FeedKit.count(store, "webstore.feed.records", "topic", "supply.inventory", "outcome", "applied"))
            .isEqualTo(1.0);
      }
    }
  }

  private static String record(String sku, String warehouse, int onHand, long sequence) {
    return new JsonObject().put("sku", sku).put("warehouse", warehouse).put("on_hand", onHand)
        .put("sequence", sequence).encode();
  }

  private static JsonObject stock(Api api, String adminToken, String sku) {
    HttpResponse<Buffer> level = api.get("/api/v1/admin/inventory/" + sku, adminToken);
    assertThat(level.statusCode()).as(level.bodyAsString()).isEqualTo(200);
    return level.bodyAsJsonObject();
  }

  private static long lag(Admin admin, String topic, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    long lag = 0;
    for (int p = 0; p < 2; p++) {
      TopicPartition partition = new TopicPartition(topic, p);
      long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS)
          .get(partition).offset();
      OffsetAndMetadata done = committed.get(partition);
      lag += end - (done == null ? 0 : done.offset());
    }
    return lag;
  }
}
