package io.webstore.inventory;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Hold records in the {@code inventory_holds} table, partition key {@code hold_id}: {@code state} (open, committing,
 * committed, released), {@code lines}, {@code parts} (list of {sku, bucket, quantity}), {@code expires_at} (epoch ms,
 * checked when read: dynalite has no TTL) and {@code ttl} (epoch seconds, for DynamoDB's TTL in AWS to delete old
 * records after the retention).
 */
public final class DynamoHoldRecords implements HoldRecords {

  private static final Map<String, String> STATE = Map.of("#state", "state");

  private final DynamoDbAsyncClient dynamo;
  private final DynamoCalls calls;
  private final String table;
  private final Duration retention;

  public DynamoHoldRecords(DynamoDbAsyncClient dynamo, DynamoCalls calls, String table, Duration retention) {
    this.dynamo = dynamo;
    this.calls = calls;
    this.table = table;
    this.retention = retention;
  }

  @Override
  public Future<Optional<HoldRecord>> create(HoldRecord record) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("hold_id", s(record.holdId()));
    item.put("state", s(record.state().wire()));
    item.put("lines", s(record.lines()));
    item.put("parts", parts(record.parts()));
    item.put("expires_at", n(record.expiresAtMs()));
    item.put("ttl", n(ttl(record.expiresAtMs())));
    return calls.call("putHold", () -> dynamo.putItem(PutItemRequest.builder()
            .tableName(table).item(item).conditionExpression("attribute_not_exists(hold_id)").build()))
        .map(created -> Optional.<HoldRecord>empty())
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? find(record.holdId()).compose(existing -> existing.isPresent()
                ? Future.succeededFuture(existing)
                : create(record)) // deleted in between: write it after all
            : Future.failedFuture(err));
  }

  @Override
  public Future<Optional<HoldRecord>> find(String holdId) {
    return calls.call("getHold", () -> dynamo.getItem(GetItemRequest.builder()
            .tableName(table).key(key(holdId)).consistentRead(true).build()))
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(record(response.item()))
            : Optional.empty());
  }

  @Override
  public Future<Void> refreshOpen(HoldRecord record) {
    return update("refreshHold", record.holdId(),
        "SET #parts = :parts, expires_at = :exp, #ttl = :ttl", "#state = :open",
        Map.of(":parts", parts(record.parts()), ":exp", n(record.expiresAtMs()), ":ttl", n(ttl(record.expiresAtMs())),
            ":open", s(HoldState.OPEN.wire())), Map.of("#state", "state", "#ttl", "ttl", "#parts", "parts"))
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? Future.succeededFuture()
            : Future.failedFuture(err));
  }

  @Override
  public Future<HoldState> markCommitting(HoldRecord record) {
    return update("markCommitting", record.holdId(),
        "SET #state = :committing, #parts = :parts, #lines = if_not_exists(#lines, :lines), "
            + "expires_at = if_not_exists(expires_at, :exp), #ttl = if_not_exists(#ttl, :ttl)",
        "attribute_not_exists(hold_id) OR #state IN (:open, :committing)",
        Map.of(":committing", s(HoldState.COMMITTING.wire()), ":open", s(HoldState.OPEN.wire()),
            ":parts", parts(record.parts()), ":lines", s(record.lines()), ":exp", n(record.expiresAtMs()),
            ":ttl", n(ttl(record.expiresAtMs()))),
        Map.of("#state", "state", "#lines", "lines", "#ttl", "ttl", "#parts", "parts"))
        .map(HoldState.COMMITTING)
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? find(record.holdId()).map(found -> {
              HoldState state = found.map(HoldRecord::state).orElse(HoldState.RELEASED);
              if (state != HoldState.COMMITTED) {
                throw new Conflict("hold " + record.holdId() + " was " + state.wire() + "; hold the units again");
              }
              return state;
            })
            : Future.failedFuture(err));
  }

  @Override
  public Future<Void> markCommitted(String holdId) {
    return update("markCommitted", holdId, "SET #state = :committed", "attribute_exists(hold_id)",
        Map.of(":committed", s(HoldState.COMMITTED.wire())), STATE);
  }

  @Override
  public Future<Void> markReleased(String holdId) {
    return update("markReleased", holdId, "SET #state = :released", "#state = :open",
        Map.of(":released", s(HoldState.RELEASED.wire()), ":open", s(HoldState.OPEN.wire())), STATE)
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? Future.succeededFuture()
            : Future.failedFuture(err));
  }

  @Override
  public Future<Void> deleteIfOpen(String holdId) {
    return calls.call("deleteHold", () -> dynamo.deleteItem(DeleteItemRequest.builder()
            .tableName(table).key(key(holdId))
            .conditionExpression("#state = :open")
            .expressionAttributeNames(STATE)
            .expressionAttributeValues(Map.of(":open", s(HoldState.OPEN.wire())))
            .build()))
        .<Void>mapEmpty()
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? Future.succeededFuture()
            : Future.failedFuture(err));
  }

  @Override
  public Future<List<HoldRecord>> scanLive(long nowMs) {
    return scan(nowMs, null, new ArrayList<>());
  }

  private Future<List<HoldRecord>> scan(long nowMs, Map<String, AttributeValue> startKey, List<HoldRecord> acc) {
    ScanRequest request = ScanRequest.builder()
        .tableName(table)
        .consistentRead(true) // a rebuild must see every hold written before it started
        .filterExpression("#state = :committing OR (#state = :open AND expires_at > :now)")
        .expressionAttributeNames(STATE)
        .expressionAttributeValues(Map.of(":committing", s(HoldState.COMMITTING.wire()),
            ":open", s(HoldState.OPEN.wire()), ":now", n(nowMs)))
        .exclusiveStartKey(startKey)
        .build();
    return calls.call("scanHolds", () -> dynamo.scan(request)).compose((ScanResponse page) -> {
      page.items().forEach(item -> acc.add(record(item)));
      return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? scan(nowMs, page.lastEvaluatedKey(), acc)
          : Future.succeededFuture(acc);
    });
  }

  private Future<Void> update(String operation, String holdId, String expression, String condition,
      Map<String, AttributeValue> values, Map<String, String> names) {
    return calls.call(operation, () -> dynamo.updateItem(UpdateItemRequest.builder()
            .tableName(table).key(key(holdId))
            .updateExpression(expression)
            .conditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .build()))
        .mapEmpty();
  }

  private long ttl(long expiresAtMs) {
    return expiresAtMs / 1000 + retention.toSeconds();
  }

  private static HoldRecord record(Map<String, AttributeValue> item) {
    List<HoldPart> parts = new ArrayList<>();
    if (item.containsKey("parts")) {
      item.get("parts").l().forEach(part -> parts.add(new HoldPart(part.m().get("sku").s(),
          part.m().get("bucket").s(), Integer.parseInt(part.m().get("quantity").n()))));
    }
    return new HoldRecord(item.get("hold_id").s(), HoldState.fromWire(item.get("state").s()),
        item.containsKey("lines") ? item.get("lines").s() : "", List.copyOf(parts),
        item.containsKey("expires_at") ? Long.parseLong(item.get("expires_at").n()) : 0);
  }

  private static AttributeValue parts(List<HoldPart> parts) {
    return AttributeValue.fromL(parts.stream().map(p -> AttributeValue.fromM(Map.of(
        "sku", s(p.sku()), "bucket", s(p.bucket()), "quantity", n(p.quantity())))).toList());
  }

  private static Map<String, AttributeValue> key(String holdId) {
    return Map.of("hold_id", s(holdId));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
