package io.webstore.feeds;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.inventory.HoldLine;
import io.webstore.inventory.InventoryClient;
import io.webstore.orders.OrdersClient;
import io.webstore.orders.ShippingAddress;
import io.webstore.platform.money.Amount;
import io.webstore.testing.Engines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A feed test's own {@code supply.order-status} topic, dead-letter topic and consumer group on the shared broker, the
 * config of stores that read them, and the test's side of the broker: a plain producer, a reader of the dead-letter
 * topic and the group's lag. Orders are placed through the stores' event bus. Blocking: JUnit threads only.
 */
final class FeedKit implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  final String run = UUID.randomUUID().toString().substring(0, 8);
  final String topic = "supply.order-status.test-" + run;
  final String deadLetterTopic = topic + ".dlq";
  final String group = "feeds-test-" + run;
  private final String bootstrap = Engines.shared().devServices().endpoints().kafkaBootstrap();
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  FeedKit(int partitions) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    admin = Admin.create(props);
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1), new NewTopic(deadLetterTopic, 1,
          (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Properties producing = new Properties();
    producing.put("bootstrap.servers", bootstrap);
    producing.put("acks", "all");
    producing.put("key.serializer", ByteArraySerializer.class.getName());
    producing.put("value.serializer", ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(producing);
  }

  /** A store reading only this kit's topic, in this kit's group, in batches of {@code batchSize}. */
  JsonObject overrides(int batchSize) {
    return new JsonObject().put("feeds", new JsonObject()
        .put("enabled", true)
        .put("batchSize", batchSize)
        .put("chunkSize", Math.min(batchSize, 100))
        .put("pollTimeoutMs", 100)
        .put("sendTimeoutMs", 10_000)
        .put("retryFirstBackoffMs", 20)
        .put("retryMaxBackoffMs", 200)
        .put("lagIntervalMs", 200)
        .put("topics", new JsonObject()
            .put("pim.products", new JsonObject().put("enabled", false))
            .put("supply.inventory", new JsonObject().put("enabled", false))
            .put("supply.order-status", new JsonObject().put("enabled", true).put("topic", topic)
                .put("group", group))));
  }

  WebStore start(JsonObject overrides) {
    return Engines.shared().startStore(overrides);
  }

  // ---- orders, through a store's bus

  private static final String FEED_SKU = "SKU-FEED-1";

  /**
   * An order in status placed whose checkout completed (its hold committed), or, when {@code completed} is false, one
   * still being placed: its hold does not exist yet, so nothing can move it until {@link #complete} holds and commits
   * its stock.
   */
  static String place(WebStore store, boolean completed) {
    OrdersClient orders = new OrdersClient(store.vertx(), Duration.ofSeconds(20));
    String id = "feed-order-" + UUID.randomUUID();
    String checkout = "feed-customer#" + id;
    Future<Order> placed = orders.place(new OrdersClient.PlaceOrder(id, "feed-customer-" + id,
        List.of(OrderLine.of(FEED_SKU, "Feed mug", 1, Amount.of("10.00", "EUR"), Optional.empty())),
        new ShippingAddress("Ada Buyer", "1 Test Street", Optional.empty(), "Berlin", Optional.empty(), "10115",
            "DE"), checkout, holdId(id), "pay-" + id, List.of(), Instant.now()));
    Engines.await(placed);
    if (completed) {
      complete(store, id);
    }
    return id;
  }

  /** Places {@code count} orders whose checkouts completed, one after another. */
  static List<String> place(WebStore store, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(place(store, true));
    }
    return ids;
  }

  /** Completes the checkout of an order {@linkplain #place placed} still pending: holds its unit and commits it. */
  static void complete(WebStore store, String orderId) {
    InventoryClient inventory = new InventoryClient(store.vertx(), Duration.ofSeconds(20));
    String holdId = holdId(orderId);
    Engines.await(inventory.restock(FEED_SKU, 1, "feed test order", "stock-" + orderId)
        .compose(stocked -> inventory.hold(holdId, List.of(new HoldLine(FEED_SKU, 1))))
        .compose(held -> inventory.commit(holdId)));
  }

  private static String holdId(String orderId) {
    return "hold-" + orderId;
  }

  static Order order(WebStore store, String orderId) {
    return Engines.await(new OrdersClient(store.vertx(), Duration.ofSeconds(20)).get(orderId, Optional.empty()));
  }

  /** The order's item as stored (to see {@code status_sequence} and {@code tracking}). */
  static Map<String, AttributeValue> item(WebStore store, String orderId) {
    try {
      return store.services().aws().dynamo().getItem(get -> get
              .tableName(store.services().config().dynamo().table("orders"))
              .key(Map.of("pk", AttributeValue.fromS(orderId))).consistentRead(true))
          .get(20, TimeUnit.SECONDS).item();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long statusSequence(WebStore store, String orderId) {
    AttributeValue value = item(store, orderId).get("status_sequence");
    return value == null ? 0 : Long.parseLong(value.n());
  }

  // ---- the broker

  static String report(String orderId, String status, long sequence) {
    return new JsonObject().put("order_id", orderId).put("status", status).put("sequence", sequence).encode();
  }

  RecordMetadata send(String key, String value) {
    return send(key, value.getBytes(StandardCharsets.UTF_8));
  }

  RecordMetadata send(String key, byte[] value) {
    try {
      return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every record of the dead-letter topic so far. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props)) {
      TopicPartition partition = new TopicPartition(deadLetterTopic, 0);
      reader.assign(List.of(partition));
      reader.seekToBeginning(List.of(partition));
      long end = reader.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (reader.position(partition) < end) {
        reader.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** The group's records not committed yet, over every partition of the topic (all of them when none committed). */
  long lag() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic)
          .partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
          .get(20, TimeUnit.SECONDS);
      long lag = 0;
      for (var end : ends.entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        lag += end.getValue().offset() - (done == null ? 0 : done.offset());
      }
      return lag;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** A counter of a store's registry, 0 when never incremented. */
  static double count(WebStore store, String name, String... tags) {
    var counter = store.services().meters().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  static String describe(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> header(r, "reason") + "@" + header(r, "offset"))
        .collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
