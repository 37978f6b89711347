package io.webstore.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.config.ConfigLoader;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.testing.Engines;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every table (with its key schema and indexes), queue and topic the store creates in {@code dev} exists in the
 * template, and the template has none the store does not know. The store's side comes from the code itself: the
 * features' {@link TableSpec}s (what {@code Provisioner} creates), the dev config's order queue and the DLQ rule of
 * {@code Provisioner.createQueues}, and {@code WebStore.TOPICS}.
 */
@ExtendWith(VertxExtension.class)
class StackResourcesTest {

  /** The environment name under which the template's names are the dev names ({@code webstore-dev-orders}). */
  private static final String DEV_ENVIRONMENT = "dev";

  /**
   * Queues other parts of the store create as they land (order status from the OMS, inbound events from the bus),
   * by their default names; each with its DLQ.
   */
  private static final List<String> ANNOUNCED_QUEUES = List.of("webstore-order-status.fifo",
      "webstore-inbound-events");

  /**
   * TTL attributes (epoch seconds) the adapters write, from their javadoc: guests' carts and sessions
   * ({@code DynamoCartStore}, {@code DynamoSessionStore}) and finished holds ({@code DynamoHoldRecords}; its
   * {@code expires_at} is in milliseconds, so not that one).
   */
  private static final Map<String, String> TTL_ATTRIBUTES = Map.of("carts", "expires_at", "sessions", "expires_at",
      "inventory_holds", "ttl");

  static WebstoreConfig dev;
  static StackTemplate template;

  @BeforeAll
  static void load(Vertx vertx) {
    dev = Engines.await(ConfigLoader.load(vertx, Path.of("conf"), Map.of(), new JsonObject()));
    template = StackTemplate.root();
  }

  private static StackTemplate.Evaluator names(Map<String, String> parameters) {
    return template.evaluator(parameters, unknown -> {
      throw new AssertionError("a name depends on " + unknown);
    });
  }

  @Test
  void everyTableTheStoreCreatesIsInTheTemplateWithTheSameKeysAndIndexes() {
    List<TableSpec> specs = Features.all().stream().flatMap(feature -> feature.tables().stream()).toList();
    assertThat(specs).as("the features' tables").hasSizeGreaterThan(10);
    StackTemplate.Evaluator evaluate = names(Map.of("EnvironmentName", DEV_ENVIRONMENT));
    Map<String, Map<String, Object>> tables = new HashMap<>();
    template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, properties) ->
        tables.put(evaluate.string(properties.get("TableName")), properties));

    for (TableSpec spec : specs) {
      String name = dev.dynamo().table(spec.name());
      Map<String, Object> table = tables.get(name);
      assertThat(table).as("table %s (the dev name with EnvironmentName=dev)", name).isNotNull();
      assertThat(keySchema(table.get("KeySchema"))).as(name + " keys")
          .isEqualTo(keys(spec.partitionKey(), spec.sortKey().orElse(null)));

      Map<String, String> types = new LinkedHashMap<>();
      Stream.concat(Stream.of(spec.partitionKey()), spec.sortKey().stream())
          .forEach(key -> types.put(key.attribute(), key.type().toString()));
      Map<String, List<String>> indexes = new LinkedHashMap<>();
      for (TableSpec.Index index : spec.indexes()) {
        indexes.put(index.name(), keys(index.partitionKey(), index.sortKey().orElse(null)));
        Stream.concat(Stream.of(index.partitionKey()), index.sortKey().stream())
            .forEach(key -> types.put(key.attribute(), key.type().toString()));
      }
      assertThat(attributeTypes(table.get("AttributeDefinitions"))).as(name + " attribute types").isEqualTo(types);

      Map<String, List<String>> templateIndexes = new LinkedHashMap<>();
      List<Map<String, Object>> gsis = StackTemplate.cast(table.getOrDefault("GlobalSecondaryIndexes", List.of()));
      for (Map<String, Object> gsi : gsis) {
        templateIndexes.put((String) gsi.get("IndexName"), keySchema(gsi.get("KeySchema")));
        assertThat(StackTemplate.<Map<String, Object>>cast(gsi.get("Projection")).get("ProjectionType"))
            .as("%s %s projects what Provisioner projects", name, gsi.get("IndexName")).isEqualTo("ALL");
      }
      assertThat(templateIndexes).as(name + " indexes").isEqualTo(indexes);

      assertThat(table.get("BillingMode")).as(name).isEqualTo("PAY_PER_REQUEST");
      assertThat(StackTemplate.<Map<String, Object>>cast(table.get("PointInTimeRecoverySpecification"))
          .get("PointInTimeRecoveryEnabled")).as(name + " point-in-time recovery").isEqualTo(true);
      Map<String, Object> ttl = StackTemplate.cast(table.get("TimeToLiveSpecification"));
      if (TTL_ATTRIBUTES.containsKey(spec.name())) {
        assertThat(ttl).as(name + " TTL").isEqualTo(Map.of("AttributeName", TTL_ATTRIBUTES.get(spec.name()),
            "Enabled", true));
      } else {
        assertThat(ttl).as(name + " has no TTL attribute").isNull();
      }
    }
    assertThat(new TreeSet<>(tables.keySet())).as("no table the store does not use")
        .isEqualTo(specs.stream().map(spec -> dev.dynamo().table(spec.name())).collect(Collectors.toCollection(
            TreeSet::new)));
  }

  @Test
  void everyQueueTheStoreCreatesIsInTheTemplateWithItsDeadLetterQueue() {
    String orders = dev.sqs().orderQueue();
    assertThat(orders).isEqualTo("webstore-dev-orders.fifo");
    Map<String, Map<String, Object>> devNames = queues(Map.of("QueueNamePrefix", "webstore-dev-"));
    assertQueueWithDeadLetterQueue(devNames, orders);

    Map<String, Map<String, Object>> defaultNames = queues(Map.of());
    assertThat(defaultNames).as("the aws profile's default order queue")
        .containsKey(new JsonObject(readConf("application.json")).getJsonObject("sqs").getString("orderQueue"));
    ANNOUNCED_QUEUES.forEach(queue -> assertQueueWithDeadLetterQueue(defaultNames, queue));
    assertThat(defaultNames).as("no queue the store does not use").hasSize(2 * (1 + ANNOUNCED_QUEUES.size()));
  }

  private static Map<String, Map<String, Object>> queues(Map<String, String> parameters) {
    StackTemplate.Evaluator evaluate = names(parameters);
    Map<String, Map<String, Object>> queues = new HashMap<>();
    template.resourcesOfType("AWS::SQS::Queue").forEach((id, properties) -> {
      Map<String, Object> withId = new HashMap<>(properties);
      withId.put("LogicalId", id);
      queues.put(evaluate.string(properties.get("QueueName")), withId);
    });
    return queues;
  }

  private static void assertQueueWithDeadLetterQueue(Map<String, Map<String, Object>> queues, String queue) {
    String deadLetters = queue.endsWith(".fifo") ? queue.replace(".fifo", "-dlq.fifo") : queue + "-dlq";
    Map<String, Object> main = queues.get(queue);
    Map<String, Object> dlq = queues.get(deadLetters);
    assertThat(main).as("queue " + queue).isNotNull();
    assertThat(dlq).as("dead-letter queue " + deadLetters).isNotNull();
    boolean fifo = queue.endsWith(".fifo");
    assertThat(main.get("FifoQueue")).as(queue + " FIFO").isEqualTo(fifo ? true : null);
    assertThat(dlq.get("FifoQueue")).as(deadLetters + " FIFO").isEqualTo(fifo ? true : null);
    Map<String, Object> redrive = StackTemplate.cast(main.get("RedrivePolicy"));
    assertThat(redrive).as(queue + " redrive").isNotNull();
    assertThat(redrive.get("deadLetterTargetArn")).as(queue + " redrives to " + deadLetters)
        .isEqualTo(Map.of("Fn::GetAtt", List.of(dlq.get("LogicalId"), "Arn")));
    assertThat(redrive.get("maxReceiveCount")).as("as Provisioner.createQueues").isEqualTo(5);
  }

  @Test
  void everyTopicTheStoreUsesIsCreatedWhenTheStackCreatesTheCluster() throws Exception {
    Field field = WebStore.class.getDeclaredField("TOPICS"); // package-private in WebStore: read, not copied
    field.setAccessible(true);
    List<String> topics = StackTemplate.cast(field.get(null));
    assertThat(topics).contains("webstore.events", "pim.products.dlq");
    Map<String, Map<String, Object>> created = template.resourcesOfType("AWS::MSK::Topic");
    assertThat(created.values().stream().map(topic -> (String) topic.get("TopicName")).collect(Collectors.toSet()))
        .isEqualTo(Set.copyOf(topics));
    StackTemplate.Evaluator evaluate = names(Map.of());
    created.forEach((id, topic) -> {
      assertThat(template.resource(id).get("Condition")).as(id).isEqualTo("CreateKafka");
      assertThat(topic.get("ClusterArn")).as(id).isEqualTo(Map.of("Ref", "KafkaCluster"));
      assertThat(Integer.parseInt(evaluate.string(topic.get("ReplicationFactor")))).as(id + " replicas")
          .isEqualTo(2); // one broker per AZ, two AZs
    });
  }

  private static String readConf(String name) {
    try {
      return java.nio.file.Files.readString(Path.of("conf", name));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> keys(TableSpec.Key partition, TableSpec.Key sort) {
    return sort == null ? List.of(partition.attribute() + " HASH")
        : List.of(partition.attribute() + " HASH", sort.attribute() + " RANGE");
  }

  private static List<String> keySchema(Object node) {
    List<Map<String, Object>> schema = StackTemplate.cast(node);
    return schema.stream().map(key -> key.get("AttributeName") + " " + key.get("KeyType")).toList();
  }

  private static Map<String, String> attributeTypes(Object node) {
    List<Map<String, Object>> definitions = StackTemplate.cast(node);
    Map<String, String> types = new LinkedHashMap<>();
    definitions.forEach(definition -> types.put((String) definition.get("AttributeName"),
        (String) definition.get("AttributeType")));
    return types;
  }
}
