package io.webstore.flags;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** {@link FlagStore} on the DynamoDB {@code flags} table: key {@code name}, one item per flag. */
final class DynamoFlagStore implements FlagStore {

  /** The table this store needs. */
  public static final TableSpec TABLE = TableSpec.of("flags", TableSpec.Key.string("name"));

  private static final String METRIC = "webstore.flags.dynamo.calls";

  private final DynamoTable table;

  public DynamoFlagStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "name");
  }

  @Override
  public Future<List<Flag>> all() {
    return table.scanAll("scan", ScanRequest.builder().tableName(table.name()).consistentRead(true).build(),
        DynamoFlagStore::fromItem);
  }

  @Override
  public Future<Optional<Flag>> find(String name) {
    return table.get("getItem", Map.of("name", AttributeValue.fromS(name)))
        .map(item -> item.map(DynamoFlagStore::fromItem));
  }

  @Override
  public Future<Flag> save(Flag flag, long expectedVersion) {
    Condition condition = expectedVersion == 0
        ? Condition.absent("name")
        : Condition.of("#version = :expected").name("#version", "version")
            .value(":expected", AttributeValue.fromN(Long.toString(expectedVersion)));
    return table.put("putItem", toItem(flag), condition)
        .map(done -> flag)
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
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
