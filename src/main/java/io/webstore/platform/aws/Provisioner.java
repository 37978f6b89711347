package io.webstore.platform.aws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.events.EventsConfig;
import io.webstore.platform.resilience.Retries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the tables and queues the store needs when config says so (dev), and lists what is missing (aws, where a
 * template creates them and their absence fails readiness).
 */
public final class Provisioner {

  private static final Logger log = LoggerFactory.getLogger(Provisioner.class);
  /** Describes of a new table before giving up on it becoming ACTIVE (about a minute with the backoff). */
  private static final int ACTIVE_CHECKS = 120;

  private final Vertx vertx;
  private final AwsClients aws;
  private final WebstoreConfig config;
  private final Retries untilActive;

  public Provisioner(Vertx vertx, AwsClients aws, WebstoreConfig config) {
    this.vertx = vertx;
    this.aws = aws;
    this.config = config;
    this.untilActive = Retries.named("provision.table.active").attempts(ACTIVE_CHECKS)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(500))
        .retryIf(err -> err instanceof NotActiveYet || err instanceof ResourceNotFoundException)
        .build(vertx);
  }

  /** Names (with prefix) of the given tables that do not exist. */
  public Future<List<String>> missingTables(List<TableSpec> tables) {
    return existingTables(null, new ArrayList<>()).map(existing -> tables.stream()
        .map(spec -> config.dynamo().table(spec.name()))
        .filter(name -> !existing.contains(name))
        .toList());
  }

  private Future<List<String>> existingTables(String startAfter, List<String> acc) {
    return AwsFutures.on(vertx, aws.dynamo().listTables(ListTablesRequest.builder()
            .exclusiveStartTableName(startAfter).limit(100).build()))
        .compose((ListTablesResponse page) -> {
          acc.addAll(page.tableNames());
          return page.lastEvaluatedTableName() == null
              ? Future.succeededFuture(acc)
              : existingTables(page.lastEvaluatedTableName(), acc);
        });
  }

  /** Creates the missing tables (dev only). */
  public Future<Void> createTables(List<TableSpec> tables) {
    return missingTables(tables).compose(missing -> Future.all(tables.stream()
            .filter(spec -> missing.contains(config.dynamo().table(spec.name())))
            .map(this::create)
            .toList())
        .mapEmpty());
  }

  private Future<Void> create(TableSpec spec) {
    Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
    Stream.concat(Stream.of(spec.partitionKey()), spec.sortKey().stream()).forEach(key -> define(attributes, key));
    List<GlobalSecondaryIndex> indexes = spec.indexes().stream().map(index -> {
      define(attributes, index.partitionKey());
      index.sortKey().ifPresent(key -> define(attributes, key));
      return GlobalSecondaryIndex.builder()
          .indexName(index.name())
          .keySchema(keySchema(index.partitionKey(), index.sortKey().orElse(null)))
          .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
          .build();
    }).toList();
    String table = config.dynamo().table(spec.name());
    CreateTableRequest.Builder request = CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(attributes.values())
        .keySchema(keySchema(spec.partitionKey(), spec.sortKey().orElse(null)));
    if (!indexes.isEmpty()) {
      request.globalSecondaryIndexes(indexes);
    }
    return AwsFutures.on(vertx, aws.dynamo().createTable(request.build()))
        .<Void>mapEmpty()
        .onSuccess(done -> log.info("provision.table.created table={}", table))
        .recover(err -> err instanceof ResourceInUseException
            ? Future.succeededFuture() // another instance created it meanwhile
            : Future.failedFuture(err))
        .compose(created -> untilActive.run(() -> active(table)));
  }

  /** Succeeds once the table is ACTIVE: a new table is CREATING for a while, and a write to it then fails. */
  private Future<Void> active(String table) {
    return AwsFutures.on(vertx, aws.dynamo().describeTable(describe -> describe.tableName(table)))
        .compose(described -> described.table().tableStatus() == TableStatus.ACTIVE
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(new NotActiveYet(table)));
  }

  /** A table not ACTIVE yet (or not visible yet to a describe). */
  private static final class NotActiveYet extends RuntimeException {
    NotActiveYet(String table) {
      super("table " + table + " is not active yet", null, false, false);
    }
  }

  private static void define(Map<String, AttributeDefinition> attributes, TableSpec.Key key) {
    attributes.putIfAbsent(key.attribute(),
        AttributeDefinition.builder().attributeName(key.attribute()).attributeType(key.type()).build());
  }

  private static List<KeySchemaElement> keySchema(TableSpec.Key partition, TableSpec.Key sort) {
    List<KeySchemaElement> schema = new ArrayList<>();
    schema.add(KeySchemaElement.builder().attributeName(partition.attribute()).keyType(KeyType.HASH).build());
    if (sort != null) {
      schema.add(KeySchemaElement.builder().attributeName(sort.attribute()).keyType(KeyType.RANGE).build());
    }
    return schema;
  }

  /**
   * Creates the order queue and the order status queue (FIFO), each with its dead-letter queue and a redrive policy
   * (dev only); idempotent.
   */
  public Future<Void> createQueues() {
    EventsConfig events = EventsConfig.from(config);
    return fifoWithDeadLetters(config.sqs().orderQueue(), 5)
        .compose(done -> fifoWithDeadLetters(events.statusQueue(), events.statusMaxReceives()));
  }

  private Future<Void> fifoWithDeadLetters(String queue, int maxReceives) {
    String dlq = queue.replace(".fifo", "-dlq.fifo");
    return AwsFutures.on(vertx, aws.sqs().createQueue(CreateQueueRequest.builder().queueName(dlq)
            .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")).build()))
        .compose(created -> AwsFutures.on(vertx, aws.sqs().getQueueAttributes(GetQueueAttributesRequest.builder()
            .queueUrl(created.queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN).build())))
        .compose(attributes -> AwsFutures.on(vertx, aws.sqs().createQueue(CreateQueueRequest.builder()
            .queueName(queue)
            .attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"" + maxReceives
                    + "\",\"deadLetterTargetArn\":\""
                    + attributes.attributes().get(QueueAttributeName.QUEUE_ARN) + "\"}"))
            .build())))
        .<Void>mapEmpty()
        .onSuccess(done -> log.info("provision.queue.ready queue={} dlq={}", queue, dlq));
  }
}
