package io.webstore.flags;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** {@link FlagStore} on the DynamoDB {@code flags} table: key {@code name}, one item per flag. */
public final class DynamoFlagStore implements FlagStore {

  /** The table this store needs. */
  public static final TableSpec TABLE = TableSpec.of("flags", TableSpec.Key.string("name"));

  private static final String METRIC = "webstore.flags.dynamo.calls";

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final String table;
  private final MeterRegistry meters;

  public DynamoFlagStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.meters = meters;
  }

  @Override
  public Future<List<Flag>> all() {
    return scan(null, new ArrayList<>());
  }

  private Future<List<Flag>> scan(Map<String, AttributeValue> startKey, List<Flag> found) {
    ScanRequest request = ScanRequest.builder().tableName(table).consistentRead(true)
        .exclusiveStartKey(startKey).build();
    return AwsFutures.timed(vertx, meters, METRIC, "scan", () -> dynamo.scan(request))
        .compose(page -> {
          page.items().forEach(item -> found.add(fromItem(item)));
          return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? scan(page.lastEvaluatedKey(), found)
              : Future.succeededFuture(found);
        });
  }

  @Override
  public Future<Optional<Flag>> find(String name) {
    GetItemRequest request = GetItemRequest.builder().tableName(table).consistentRead(true)
        .key(Map.of("name", AttributeValue.fromS(name))).build();
    return AwsFutures.timed(vertx, meters, METRIC, "getItem", () -> dynamo.getItem(request))
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(fromItem(response.item()))
            : Optional.empty());
  }

  @Override
  public Future<Flag> save(Flag flag, long expectedVersion) {
    PutItemRequest.Builder request = PutItemRequest.builder().tableName(table).item(toItem(flag));
    if (expectedVersion == 0) {
      request.conditionExpression("attribute_not_exists(#name)").expressionAttributeNames(Map.of("#name", "name"));
    } else {
      request.conditionExpression("#version = :expected")
          .expressionAttributeNames(Map.of("#version", "version"))
          .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))));
    }
    return AwsFutures.timed(vertx, meters, METRIC, "putItem", () -> dynamo.putItem(request.build()))
        .map(done -> flag)
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new Conflict("flag " + flag.name() + (expectedVersion == 0
                ? " was created meanwhile" : " is no longer at version " + expectedVersion)
                + "; reload it and retry")
            : err));
  }

  private static Map<String, AttributeValue> toItem(Flag flag) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("name", AttributeValue.fromS(flag.name()));
    item.put("enabled", AttributeValue.fromBool(flag.enabled()));
    item.put("percentage", AttributeValue.fromN(Integer.toString(flag.percentage())));
    flag.description().ifPresent(text -> item.put("description", AttributeValue.fromS(text)));
    item.put("version", AttributeValue.fromN(Long.toString(flag.version())));
    item.put("updatedAt", AttributeValue.fromS(flag.updatedAt().toString()));
    item.put("updatedBy", AttributeValue.fromS(flag.updatedBy()));
    return item;
  }

  private static Flag fromItem(Map<String, AttributeValue> item) {
    AttributeValue description = item.get("description");
    return new Flag(
        item.get("name").s(),
        Boolean.TRUE.equals(item.get("enabled").bool()),
        Integer.parseInt(item.get("percentage").n()),
        Optional.ofNullable(description == null ? null : description.s()),
        Long.parseLong(item.get("version").n()),
        Instant.parse(item.get("updatedAt").s()),
        item.get("updatedBy").s());
  }
}
