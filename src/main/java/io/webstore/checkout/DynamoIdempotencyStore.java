package io.webstore.checkout;

import static io.webstore.platform.dynamo.Attrs.n;
import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Update;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Idempotency records in the {@code idempotency} table, key {@code pk} = {@code <customer id>#<Idempotency-Key>}:
 * {@code run} (which run of the key the ids are of; absent means 0), {@code customer_id}, {@code request_hash},
 * {@code step}, {@code hold_id}, {@code order_id}, {@code payment_key},
 * {@code plan} (JSON), {@code lease_owner}, {@code lease_until} (epoch ms), {@code attempts}, {@code created_at},
 * {@code updated_at} and, once finished, {@code response_status}, {@code response_body}, {@code response_location}.
 *
 * <p>While unfinished a record also has {@code pending} (one of {@value #SHARDS} shard values): with {@code
 * lease_until} it is the key of the sparse index {@value #PENDING_INDEX}, which therefore holds exactly the unfinished
 * records, and recovery asks it for those whose lease ended. Finishing removes {@code pending}. Records are kept: their
 * ids name holds, orders and charges, so a key never starts a second checkout. The one exception is a record finished
 * {@code retryable}: {@link #restart} replaces it (conditional on its step and run) by the key's next run, whose ids
 * are new.
 */
final class DynamoIdempotencyStore implements IdempotencyStore {

  static final String PENDING_INDEX = "pending-index";
  static final int SHARDS = 8;

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("idempotency", TableSpec.Key.string("pk"))
      .withIndex(PENDING_INDEX, TableSpec.Key.string("pending"), TableSpec.Key.number("lease_until"));

  private static final String METRIC = "webstore.checkout.dynamo.calls";

  private final DynamoTable table;

  DynamoIdempotencyStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
  }

  @Override
  public Future<Optional<IdempotencyRecord>> claim(IdempotencyRecord record) {
    return table.put("claimKey", item(record), Condition.absent("pk"))
        .map(written -> Optional.<IdempotencyRecord>empty())
        .recover(err -> err instanceof ConditionFailed failed
            ? Future.succeededFuture(failed.current().map(DynamoIdempotencyStore::record)) // another request's
            : Future.failedFuture(err));
  }

  @Override
  public Future<Optional<IdempotencyRecord>> restart(IdempotencyRecord retryable, IdempotencyRecord next) {
    int run = retryable.ids().run();
    // records written before runs existed have no run attribute: they are run 0
    Condition sameRun = Condition.of("#step = :retryable AND (#run = :run" + (run == 0
            ? " OR attribute_not_exists(#run))" : ")"))
        .name("#step", "step").name("#run", "run")
        .value(":retryable", s(CheckoutStep.RETRYABLE.wire())).value(":run", n(run));
    return table.put("restartKey", item(next), sameRun)
        .map(written -> Optional.<IdempotencyRecord>empty())
        .recover(err -> err instanceof ConditionFailed failed
            ? Future.succeededFuture(failed.current().map(DynamoIdempotencyStore::record)) // another retry's
            : Future.failedFuture(err));
  }

  private static Map<String, AttributeValue> item(IdempotencyRecord record) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(record.ids().recordId()));
    item.put("run", n(record.ids().run()));
    item.put("customer_id", s(record.customerId()));
    item.put("request_hash", s(record.requestHash()));
    item.put("step", s(record.step().wire()));
    item.put("hold_id", s(record.ids().holdId()));
    item.put("order_id", s(record.ids().orderId()));
    item.put("payment_key", s(record.ids().paymentKey()));
    record.plan().ifPresent(plan -> item.put("plan", s(CheckoutJson.plan(plan))));
    item.put("lease_owner", s(record.leaseOwner()));
    item.put("lease_until", n(record.leaseUntilMs()));
    item.put("attempts", n(record.attempts()));
    item.put("created_at", s(record.createdAt().toString()));
    item.put("updated_at", s(record.createdAt().toString()));
    record.response().ifPresentOrElse(response -> putResponse(item, response),
        () -> item.put("pending", s(shard(record.ids().recordId()))));
    return item;
  }

  @Override
  public Future<Optional<IdempotencyRecord>> find(String recordId) {
    return table.get("getItem", Map.of("pk", s(recordId))).map(item -> item.map(DynamoIdempotencyStore::record));
  }

  @Override
  public Future<Void> advance(IdempotencyRecord record, CheckoutStep step, long leaseUntilMs) {
    Update update = Update.create().set("step = :step, lease_until = :until, updated_at = :now")
        .value(":step", s(step.wire())).value(":until", n(leaseUntilMs)).value(":now", s(Instant.now().toString()));
    return table.update("advance", Map.of("pk", s(record.ids().recordId())), update,
            Condition.of("lease_owner = :owner AND attribute_exists(pending)").value(":owner", s(record.leaseOwner())))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new LeaseLost(record.ids().recordId()) : err));
  }

  @Override
  public Future<Void> finish(IdempotencyRecord record, CheckoutStep step, StoredResponse response) {
    Update update = Update.create()
        .set("step = :step, response_status = :status, response_body = :body, updated_at = :now")
        .remove("pending")
        .value(":step", s(step.wire()))
        .value(":status", n(response.status()))
        .value(":body", s(response.body()))
        .value(":now", s(Instant.now().toString()));
    response.location().ifPresent(location -> update.set("response_location = :location")
        .value(":location", s(location)));
    return table.update("finish", Map.of("pk", s(record.ids().recordId())), update,
            Condition.of("lease_owner = :owner").value(":owner", s(record.leaseOwner())))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new LeaseLost(record.ids().recordId()) : err));
  }

  @Override
  public Future<Optional<IdempotencyRecord>> takeOver(IdempotencyRecord record, String owner, long leaseUntilMs) {
    Update update = Update.create().set("lease_owner = :owner, lease_until = :until").add("attempts :one")
        .value(":owner", s(owner)).value(":until", n(leaseUntilMs)).value(":one", n(1));
    Condition unchanged = Condition.of(
            "lease_owner = :previous AND lease_until = :seen AND attribute_exists(pending)")
        .value(":previous", s(record.leaseOwner())).value(":seen", n(record.leaseUntilMs()));
    return table.update("takeOver", Map.of("pk", s(record.ids().recordId())), update, unchanged)
        .map(taken -> Optional.of(record.ownedBy(owner, leaseUntilMs)))
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture(Optional.empty()) // someone else took it, or it finished
            : Future.failedFuture(err));
  }

  @Override
  public Future<List<IdempotencyRecord>> expired(long nowMs, int limit) {
    List<Future<QueryResponse>> shards = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      String key = "s" + shard;
      shards.add(table.query("query", QueryRequest.builder().tableName(table.name())
          .indexName(PENDING_INDEX)
          .keyConditionExpression("pending = :shard AND lease_until < :now")
          .expressionAttributeValues(Map.of(":shard", s(key), ":now", n(nowMs)))
          .limit(limit)
          .build()));
    }
    return Future.all(shards).map(done -> {
      List<IdempotencyRecord> records = new ArrayList<>();
      for (Future<QueryResponse> shard : shards) {
        shard.result().items().forEach(item -> records.add(record(item)));
      }
      return records;
    });
  }

  private static void putResponse(Map<String, AttributeValue> item, StoredResponse response) {
    item.put("response_status", n(response.status()));
    item.put("response_body", s(response.body()));
    response.location().ifPresent(location -> item.put("response_location", s(location)));
  }

  private static IdempotencyRecord record(Map<String, AttributeValue> item) {
    String recordId = item.get("pk").s();
    CheckoutIds ids = new CheckoutIds(recordId, (int) Attrs.number(item, "run", 0), item.get("hold_id").s(),
        item.get("order_id").s(), item.get("payment_key").s());
    Optional<StoredResponse> response = item.containsKey("response_status") && !item.containsKey("pending")
        ? Optional.of(new StoredResponse(Integer.parseInt(item.get("response_status").n()),
            item.get("response_body").s(),
            Optional.ofNullable(item.get("response_location")).map(AttributeValue::s)))
        : Optional.empty();
    return new IdempotencyRecord(ids, item.get("customer_id").s(), item.get("request_hash").s(),
        CheckoutStep.fromWire(item.get("step").s()),
        Optional.ofNullable(item.get("plan")).map(plan -> CheckoutJson.plan(plan.s())),
        item.get("lease_owner").s(), Long.parseLong(item.get("lease_until").n()),
        Integer.parseInt(item.get("attempts").n()), response, Instant.parse(item.get("created_at").s()));
  }

  static String shard(String recordId) {
    return "s" + Math.floorMod(recordId.hashCode(), SHARDS);
  }
}
