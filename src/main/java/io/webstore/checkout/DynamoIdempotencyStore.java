package io.webstore.checkout;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.TableSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Idempotency records in the {@code idempotency} table, key {@code pk} = {@code <customer id>#<Idempotency-Key>}:
 * {@code customer_id}, {@code request_hash}, {@code step}, {@code hold_id}, {@code order_id}, {@code payment_key},
 * {@code plan} (JSON), {@code lease_owner}, {@code lease_until} (epoch ms), {@code attempts}, {@code created_at},
 * {@code updated_at} and, once finished, {@code response_status}, {@code response_body}, {@code response_location}.
 *
 * <p>While unfinished a record also has {@code pending} (one of {@value #SHARDS} shard values): with {@code
 * lease_until} it is the key of the sparse index {@value #PENDING_INDEX}, which therefore holds exactly the unfinished
 * records, and recovery asks it for those whose lease ended. Finishing removes {@code pending}. Records are kept: their
 * ids name holds, orders and charges, so a key may never start a second checkout.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {

  static final String PENDING_INDEX = "pending-index";
  static final int SHARDS = 8;

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("idempotency", TableSpec.Key.string("pk"))
      .withIndex(PENDING_INDEX, TableSpec.Key.string("pending"), TableSpec.Key.number("lease_until"));

  private static final String METRIC = "webstore.checkout.dynamo.calls";

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final String table;
  private final MeterRegistry meters;

  public DynamoIdempotencyStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.meters = meters;
  }

  @Override
  public Future<Optional<IdempotencyRecord>> claim(IdempotencyRecord record) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(record.ids().recordId()));
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
    return call("putItem", () -> dynamo.putItem(put -> put.tableName(table).item(item)
            .conditionExpression("attribute_not_exists(pk)")))
        .map(written -> Optional.<IdempotencyRecord>empty())
        .recover(err -> {
          if (!(err instanceof ConditionalCheckFailedException)) {
            return Future.failedFuture(err);
          }
          return find(record.ids().recordId()).map(existing -> {
            if (existing.isPresent() && existing.get().leaseOwner().equals(record.leaseOwner())) {
              return Optional.empty(); // our own put, whose reply was lost and retried by the SDK
            }
            return existing;
          });
        });
  }

  @Override
  public Future<Optional<IdempotencyRecord>> find(String recordId) {
    return call("getItem", () -> dynamo.getItem(get -> get.tableName(table).consistentRead(true)
            .key(Map.of("pk", s(recordId)))))
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(record(response.item()))
            : Optional.empty());
  }

  @Override
  public Future<Void> advance(IdempotencyRecord record, CheckoutStep step, long leaseUntilMs) {
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(Map.of("pk", s(record.ids().recordId())))
            .updateExpression("SET step = :step, lease_until = :until, updated_at = :now")
            .conditionExpression("lease_owner = :owner AND attribute_exists(pending)")
            .expressionAttributeValues(Map.of(":step", s(step.wire()), ":until", n(leaseUntilMs),
                ":now", s(Instant.now().toString()), ":owner", s(record.leaseOwner())))))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new LeaseLost(record.ids().recordId()) : err));
  }

  @Override
  public Future<Void> finish(IdempotencyRecord record, CheckoutStep step, StoredResponse response) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":step", s(step.wire()));
    values.put(":status", n(response.status()));
    values.put(":body", s(response.body()));
    values.put(":now", s(Instant.now().toString()));
    values.put(":owner", s(record.leaseOwner()));
    String set = "SET step = :step, response_status = :status, response_body = :body, updated_at = :now";
    if (response.location().isPresent()) {
      values.put(":location", s(response.location().get()));
      set += ", response_location = :location";
    }
    String expression = set + " REMOVE pending";
    // a retried call whose first attempt applied finds the record finished by us: still our lease, so it passes
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(Map.of("pk", s(record.ids().recordId())))
            .updateExpression(expression)
            .conditionExpression("lease_owner = :owner")
            .expressionAttributeValues(values)))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new LeaseLost(record.ids().recordId()) : err));
  }

  @Override
  public Future<Optional<IdempotencyRecord>> takeOver(IdempotencyRecord record, String owner, long leaseUntilMs) {
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(Map.of("pk", s(record.ids().recordId())))
            .updateExpression("SET lease_owner = :owner, lease_until = :until ADD attempts :one")
            .conditionExpression("lease_owner = :previous AND lease_until = :seen AND attribute_exists(pending)")
            .expressionAttributeValues(Map.of(":owner", s(owner), ":until", n(leaseUntilMs), ":one", n(1),
                ":previous", s(record.leaseOwner()), ":seen", n(record.leaseUntilMs())))))
        .map(taken -> Optional.of(record.ownedBy(owner, leaseUntilMs)))
        .recover(err -> {
          if (!(err instanceof ConditionalCheckFailedException)) {
            return Future.failedFuture(err);
          }
          return find(record.ids().recordId()).map(now -> now.filter(current -> owner.equals(current.leaseOwner())
              && !current.finished())); // ours if a retried call had applied, else someone else's
        });
  }

  @Override
  public Future<List<IdempotencyRecord>> expired(long nowMs, int limit) {
    List<Future<QueryResponse>> shards = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      String key = "s" + shard;
      shards.add(call("query", () -> dynamo.query(QueryRequest.builder().tableName(table)
          .indexName(PENDING_INDEX)
          .keyConditionExpression("pending = :shard AND lease_until < :now")
          .expressionAttributeValues(Map.of(":shard", s(key), ":now", n(nowMs)))
          .limit(limit)
          .build())));
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
    CheckoutIds ids = new CheckoutIds(recordId, item.get("hold_id").s(), item.get("order_id").s(),
        item.get("payment_key").s());
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

  private <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return AwsFutures.timed(vertx, meters, METRIC, operation, () -> request.get());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
