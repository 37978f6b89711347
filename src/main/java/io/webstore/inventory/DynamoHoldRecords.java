package io.webstore.inventory;

import static io.webstore.platform.dynamo.Attrs.n;
import static io.webstore.platform.dynamo.Attrs.s;

import io.vertx.core.Future;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Landed;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Hold records in the {@code inventory_holds} table, partition key {@code hold_id}: {@code state} (open, committing,
 * committed, released), {@code lines}, {@code parts} (list of {sku, bucket, quantity}), {@code expires_at} (epoch ms,
 * checked when read: dynalite has no TTL) and {@code ttl} (epoch seconds, for DynamoDB's TTL in AWS to delete old
 * records after the retention).
 */
final class DynamoHoldRecords implements HoldRecords {

  private static final Map<String, String> STATE = Map.of("#state", "state");

  private final DynamoTable table;
  private final Duration retention;

  public DynamoHoldRecords(DynamoTable table, Duration retention) {
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
    return table.put("putHold", item, Condition.absent("hold_id"))
        .map(created -> Optional.<HoldRecord>empty())
        .recover(err -> {
          if (!(err instanceof ConditionFailed failed)) {
            return Future.failedFuture(err);
          }
          return failed.current().isPresent()
              ? Future.succeededFuture(failed.current().map(DynamoHoldRecords::record))
              : create(record); // deleted in between: write it after all
        });
  }

  @Override
  public Future<Optional<HoldRecord>> find(String holdId) {
    return table.get("getHold", key(holdId)).map(item -> item.map(DynamoHoldRecords::record));
  }

  @Override
  public Future<Void> refreshOpen(HoldRecord record) {
    Update refresh = Update.create().set("#parts = :parts, expires_at = :exp, #ttl = :ttl")
        .name("#ttl", "ttl").name("#parts", "parts")
        .value(":parts", parts(record.parts())).value(":exp", n(record.expiresAtMs()))
        .value(":ttl", n(ttl(record.expiresAtMs())));
    return table.update("refreshHold", key(record.holdId()), refresh, isOpen())
        .<Void>mapEmpty()
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture() // no longer open: nothing to refresh
            : Future.failedFuture(err));
  }

  @Override
  public Future<HoldState> markCommitting(HoldRecord record) {
    Update committing = Update.create()
        .set("#state = :committing, #parts = :parts, #lines = if_not_exists(#lines, :lines), "
            + "expires_at = if_not_exists(expires_at, :exp), #ttl = if_not_exists(#ttl, :ttl)")
        .name("#state", "state").name("#lines", "lines").name("#ttl", "ttl").name("#parts", "parts")
        .value(":committing", s(HoldState.COMMITTING.wire()))
        .value(":parts", parts(record.parts())).value(":lines", s(record.lines()))
        .value(":exp", n(record.expiresAtMs())).value(":ttl", n(ttl(record.expiresAtMs())));
    Condition openOrCommitting = Condition.of("attribute_not_exists(hold_id) OR #state IN (:open, :committing)")
        .name("#state", "state")
        .value(":open", s(HoldState.OPEN.wire())).value(":committing", s(HoldState.COMMITTING.wire()));
    return table.update("markCommitting", key(record.holdId()), committing, openOrCommitting)
        .map(HoldState.COMMITTING)
        .recover(err -> {
          if (!(err instanceof ConditionFailed failed)) {
            return Future.failedFuture(err);
          }
          HoldState state = failed.current().map(DynamoHoldRecords::record).map(HoldRecord::state)
              .orElse(HoldState.RELEASED);
          return state == HoldState.COMMITTED
              ? Future.succeededFuture(state)
              : Future.failedFuture(new Conflict("hold " + record.holdId() + " was " + state.wire()
                  + "; hold the units again"));
        });
  }

  @Override
  public Future<Void> markCommitted(String holdId) {
    return moveFromCommitting(holdId, "markCommitted", HoldState.COMMITTED);
  }

  @Override
  public Future<Void> markAbandoned(String holdId) {
    return moveFromCommitting(holdId, "markAbandoned", HoldState.RELEASED);
  }

  /**
   * Committing → {@code target}; already there counts as done (a state only moves forward). A missing record fails
   * with {@code ConditionFailed}, another state with {@code Conflict}.
   */
  private Future<Void> moveFromCommitting(String holdId, String operation, HoldState target) {
    String to = ":" + target.wire(); // ":committed", ":released"
    Condition committingOrThere = Condition.of("#state IN (:committing, " + to + ")").name("#state", "state")
        .value(":committing", s(HoldState.COMMITTING.wire())).value(to, s(target.wire()));
    return table.update(operation, key(holdId), Update.create().set("#state = " + to)
            .name("#state", "state").value(to, s(target.wire())), committingOrThere,
            Landed.whenItem(item -> target.wire().equals(item.get("state").s())))
        .<Void>mapEmpty()
        .recover(err -> err instanceof ConditionFailed failed && failed.current().isPresent()
            ? Future.failedFuture(new Conflict("hold " + holdId + " was "
                + record(failed.current().get()).state().wire() + "; it cannot become " + target.wire()))
            : Future.failedFuture(err)); // a missing record fails its condition as it is
  }

  @Override
  public Future<Void> markReleased(String holdId) {
    return table.update("markReleased", key(holdId), Update.create().set("#state = :released")
            .name("#state", "state").value(":released", s(HoldState.RELEASED.wire())), isOpen())
        .<Void>mapEmpty()
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture() // not open: committed, or released already
            : Future.failedFuture(err));
  }

  @Override
  public Future<Void> deleteIfOpen(String holdId) {
    // done either way: an open record is deleted, any other is kept
    return table.delete("deleteHold", key(holdId), isOpen(), (current, writeId) -> true);
  }

  @Override
  public Future<List<HoldRecord>> scanLive(long nowMs) {
    return table.scanAll("scanHolds", ScanRequest.builder()
        .tableName(table.name())
        .consistentRead(true) // a rebuild must see every hold written before it started
        .filterExpression("#state = :committing OR (#state = :open AND expires_at > :now)")
        .expressionAttributeNames(STATE)
        .expressionAttributeValues(Map.of(":committing", s(HoldState.COMMITTING.wire()),
            ":open", s(HoldState.OPEN.wire()), ":now", n(nowMs)))
        .build(), DynamoHoldRecords::record);
  }

  private static Condition isOpen() {
    return Condition.of("#state = :open").name("#state", "state").value(":open", s(HoldState.OPEN.wire()));
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
}
