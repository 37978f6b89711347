package io.webstore.events;

import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.dev.EventBridgeEndpoint;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.events.EventDestination;
import io.webstore.testing.BusContract;
import io.webstore.testing.Engines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Stores whose outbox relay and status consumer run, each with an order queue, a status queue and a Kafka topic of
 * its own (the shared store relays nothing, see {@code Engines}), and the consumers' side of those: what arrived on
 * the queue and the topic, deduplicated by event id as a consumer must. Blocking: JUnit threads only.
 */
final class EventsOut implements AutoCloseable {

  final String run = UUID.randomUUID().toString().substring(0, 8);
  final String orderQueue = "webstore-test-" + run + "-orders.fifo";
  final String statusQueue = "webstore-test-" + run + "-status.fifo";
  final String topic = "webstore.events.test-" + run;
  private final List<WebStore> stores = new ArrayList<>();
  private KafkaConsumer<String, String> kafka;
  /** Every record of the topic seen so far, in arrival order. */
  final List<ConsumerRecord<String, String>> records = new ArrayList<>();
  /** Every message taken off the order queue so far, in arrival order. */
  final List<Message> messages = new ArrayList<>();
  private final String kafkaBootstrap;

  EventsOut() {
    this(Engines.shared().devServices().endpoints().kafkaBootstrap());
  }

  /** With the test's own Kafka broker. */
  EventsOut(String kafkaBootstrap) {
    this.kafkaBootstrap = kafkaBootstrap;
  }

  /** Config of a relaying store: this run's queues and topic, quick polls, a short lease, more overrides on top. */
  JsonObject overrides(JsonObject more) {
    return new JsonObject()
        .put("sqs", new JsonObject().put("orderQueue", orderQueue).put("createQueues", true))
        .put("events", new JsonObject()
            .put("relayEnabled", true).put("statusConsumerEnabled", true)
            .put("pollIntervalMs", 100).put("leaseMs", 3000).put("lagLogIntervalMs", 1000)
            .put("kafkaTopic", topic).put("kafkaTimeoutMs", 3000)
            .put("statusQueue", statusQueue).put("statusMaxReceives", 2).put("statusVisibilityMs", 2000))
        .mergeIn(more, true);
  }

  WebStore start(JsonObject more) {
    return start(more, UnaryOperator.identity());
  }

  /** A relaying store whose destinations are wrapped by {@code around}; stopped by {@link #close}. */
  WebStore start(JsonObject more, UnaryOperator<EventDestination> around) {
    List<Feature> features = Features.all().stream()
        .map(feature -> feature instanceof EventsFeature ? new EventsFeature(around) : feature)
        .toList();
    WebStore store = Engines.await(WebStore.start(Path.of("conf"), Map.of("WEBSTORE_PROFILE", "dev"),
        Engines.shared().overrides().mergeIn(overrides(more), true), features), Duration.ofSeconds(90));
    BusContract.shared().watch(store.vertx());
    stores.add(store);
    return store;
  }

  void stop(WebStore store) {
    stores.remove(store);
    Engines.await(store.stop(), Duration.ofSeconds(30));
  }

  SqsAsyncClient sqs() {
    return stores.get(0).services().aws().sqs();
  }

  String queueUrl(String name) {
    try {
      return sqs().getQueueUrl(get -> get.queueName(name)).get().queueUrl();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Takes what the order queue holds now (and deletes it, as the order management system would). */
  List<Message> drainOrderQueue() {
    String url = queueUrl(orderQueue);
    try {
      while (true) {
        List<Message> batch = sqs().receiveMessage(receive -> receive.queueUrl(url).maxNumberOfMessages(10)
            .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).get().messages();
        if (batch.isEmpty()) {
          return messages;
        }
        for (Message message : batch) {
          messages.add(message);
          sqs().deleteMessage(delete -> delete.queueUrl(url).receiptHandle(message.receiptHandle())).get();
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The order queue's messages about {@code subject}, read as events valid against their schemas. */
  List<CloudEvent> omsEvents(String subject) {
    drainOrderQueue();
    return messages.stream().map(message -> EventSchemas.valid(message.body()))
        .filter(event -> subject.equals(event.getSubject())).toList();
  }

  /** Polls the topic once more; every record so far. */
  List<ConsumerRecord<String, String>> pollKafka() {
    if (kafka == null) {
      Properties props = new Properties();
      props.put("bootstrap.servers", kafkaBootstrap);
      props.put("group.id", "events-test-" + run);
      props.put("auto.offset.reset", "earliest");
      props.put("key.deserializer", StringDeserializer.class.getName());
      props.put("value.deserializer", StringDeserializer.class.getName());
      kafka = new KafkaConsumer<>(props);
      kafka.subscribe(List.of(topic));
    }
    kafka.poll(Duration.ofMillis(200)).forEach(records::add);
    return records;
  }

  /**
   * The topic's events about {@code subject}, deduplicated by the {@code ce_id} header (the first of each id
   * counts), valid against their schemas, in the order they arrived.
   */
  List<CloudEvent> kafkaEvents(String subject) {
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    List<CloudEvent> events = new ArrayList<>();
    for (ConsumerRecord<String, String> record : pollKafka()) {
      Header id = record.headers().lastHeader("ce_id");
      if (!subject.equals(record.key()) || id == null || seen.putIfAbsent(new String(id.value()), true) != null) {
        continue;
      }
      CloudEvent event = EventSchemas.valid(record.value());
      if (!event.getId().equals(new String(id.value()))) {
        throw new AssertionError("ce_id header " + new String(id.value()) + " is not the event's id " + event.getId());
      }
      events.add(event);
    }
    return events;
  }

  /**
   * The events about {@code subject} that reached the dev EventBridge endpoint, each entry's detail read as an event
   * valid against its schema, deduplicated by event id (the first of each id counts), in the order they arrived.
   */
  List<CloudEvent> eventBridgeEvents(String subject) {
    Map<String, CloudEvent> byId = new LinkedHashMap<>();
    for (EventBridgeEndpoint.Entry entry : Engines.shared().devServices().eventBridge().received()) {
      JsonObject detail = entry.detailJson();
      if (subject.equals(detail.getString("subject"))) {
        CloudEvent event = EventSchemas.valid(entry.detail());
        if (!entry.detailType().equals(event.getType())) {
          throw new AssertionError("detail type " + entry.detailType() + " is not the event's type " + event.getType());
        }
        byId.putIfAbsent(event.getId(), event);
      }
    }
    return List.copyOf(byId.values());
  }

  /** How many records of the topic carry event {@code id} (before deduplication). */
  long kafkaCopies(String id) {
    return pollKafka().stream().filter(record -> record.headers().lastHeader("ce_id") != null
        && id.equals(new String(record.headers().lastHeader("ce_id").value()))).count();
  }

  static List<String> types(Collection<CloudEvent> events) {
    return events.stream().map(CloudEvent::getType).toList();
  }

  /** The states per destination of the subject's events, from the admin endpoint's reply. */
  static JsonArray destinations(JsonObject listed, String eventId) {
    for (Object event : listed.getJsonArray("events")) {
      if (((JsonObject) event).getString("id").equals(eventId)) {
        return ((JsonObject) event).getJsonArray("destinations");
      }
    }
    throw new AssertionError("no event " + eventId + " in " + listed.encode());
  }

  @Override
  public void close() {
    if (kafka != null) {
      kafka.close();
    }
    List<io.vertx.core.Future<Void>> stops = stores.stream().map(WebStore::stop).toList();
    stores.clear();
    Engines.await(io.vertx.core.Future.join(stops), Duration.ofSeconds(60));
  }
}
