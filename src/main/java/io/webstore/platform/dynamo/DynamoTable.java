package io.webstore.platform.dynamo;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.resilience.Lanes;
import io.webstore.platform.resilience.Retries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One DynamoDB table as every adapter uses it: its name, its timed calls (metric {@code <metric>}, tagged by
 * operation and outcome, resumed on the caller's context) and the one retry-safe conditional write.
 *
 * <p>The SDK retries an attempt whose reply was lost or late. When that attempt had landed, the retry fails its own
 * condition, and a naive adapter reports a conflict that never happened (an email "taken" with no account made) or
 * applies a change twice after a re-read. So every conditional {@linkplain #put put} and {@linkplain #update update}
 * here carries a fresh write id in {@value #WRITE_ID}; a failed condition is followed by a consistent read of the
 * item, and the write counts as done when the item shows it ({@link Landed#byWriteId()} by default, or what the
 * caller says for writes that are idempotent by construction). Only otherwise does the caller get {@link
 * ConditionFailed}, carrying the item it read.
 */
public final class DynamoTable {

  /** The attribute that carries the id of the last conditional write of an item. */
  public static final String WRITE_ID = "write_id";

  /** BatchWriteItem's limit. */
  private static final int BATCH_SIZE = 25;
  /** BatchGetItem's limit. */
  private static final int GET_BATCH_SIZE = 100;
  /** Attempts for items DynamoDB leaves unprocessed (throttling), with jittered backoff between them. */
  private static final int BATCH_ATTEMPTS = 6;

  /** Wraps every call: a bulkhead, an error mapping. Must pass {@link ConditionalCheckFailedException} through. */
  @FunctionalInterface
  public interface CallGuard {
    CallGuard NONE = new CallGuard() {
      @Override
      public <T> Future<T> run(String operation, Supplier<Future<T>> call) {
        return call.get();
      }
    };

    <T> Future<T> run(String operation, Supplier<Future<T>> call);
  }

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final MeterRegistry meters;
  private final String metric;
  private final String name;
  private final List<String> keyAttributes;
  private final CallGuard guard;
  private final Retries batchRetries;
  private final Retries batchGetRetries;

  private static final Logger log = LoggerFactory.getLogger(DynamoTable.class);

  /** Items of a batch that the engine left unprocessed; the batch retry writes them again. */
  private static final class Unprocessed extends IllegalStateException {
    Unprocessed(String message) {
      super(message);
    }
  }

  private DynamoTable(Vertx vertx, DynamoDbAsyncClient dynamo, MeterRegistry meters, String metric, String name,
      List<String> keyAttributes, CallGuard guard) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.meters = meters;
    this.metric = metric;
    this.name = name;
    this.keyAttributes = List.copyOf(keyAttributes);
    this.guard = guard;
    // between attempts 1..5: 50-100, 100-200, 200-400, 400-800, 800-1600 ms
    this.batchRetries = Retries.named("dynamodb.batchWriteItem").attempts(BATCH_ATTEMPTS)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(1_600))
        .retryIf(err -> err instanceof Unprocessed) // a failed call was retried by the SDK already
        .metered(meters)
        .build(vertx);
    this.batchGetRetries = Retries.named("dynamodb.batchGetItem").attempts(BATCH_ATTEMPTS)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(1_600))
        .retryIf(err -> err instanceof Unprocessed)
        .metered(meters)
        .build(vertx);
  }

  /**
   * @param metric the timer of this feature's calls, e.g. {@code webstore.cart.dynamo.calls}
   * @param name the physical table name (prefix included)
   * @param keyAttributes the attributes of the primary key (to read an item back from a written one)
   */
  public static DynamoTable of(Vertx vertx, DynamoDbAsyncClient dynamo, MeterRegistry meters, String metric,
      String name, String... keyAttributes) {
    return new DynamoTable(vertx, dynamo, meters, metric, name, List.of(keyAttributes), CallGuard.NONE);
  }

  /** The same table with every call run through {@code guard}. */
  public DynamoTable guardedBy(CallGuard guard) {
    return new DynamoTable(vertx, dynamo, meters, metric, name, keyAttributes, guard);
  }

  public String name() {
    return name;
  }

  public DynamoDbAsyncClient client() {
    return dynamo;
  }

  /** Any SDK call, timed and guarded; for reads, queries and unconditional writes. */
  public <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> call) {
    return guard.run(operation, () -> AwsFutures.timed(vertx, meters, metric, operation, call));
  }

  /** The item under {@code key}, read consistently. */
  public Future<Optional<Map<String, AttributeValue>>> get(String operation, Map<String, AttributeValue> key) {
    return call(operation, () -> dynamo.getItem(get -> get.tableName(name).key(key).consistentRead(true)))
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(response.item())
            : Optional.empty());
  }

  /** A conditional put that is retry-safe by its write id. Succeeds with the item as stored. */
  public Future<Map<String, AttributeValue>> put(String operation, Map<String, AttributeValue> item,
      Condition condition) {
    return put(operation, item, condition, Landed.byWriteId());
  }

  /** A conditional put judged by {@code landed} when its condition fails. Succeeds with the item as stored. */
  public Future<Map<String, AttributeValue>> put(String operation, Map<String, AttributeValue> item,
      Condition condition, Landed landed) {
    String writeId = UUID.randomUUID().toString();
    Map<String, AttributeValue> tagged = new HashMap<>(item);
    tagged.put(WRITE_ID, AttributeValue.fromS(writeId));
    PutItemRequest.Builder request = PutItemRequest.builder().tableName(name).item(tagged);
    applyCondition(condition, request::conditionExpression, request::expressionAttributeNames,
        request::expressionAttributeValues, Map.of(), Map.of());
    PutItemRequest built = request.build();
    return call(operation, () -> dynamo.putItem(built))
        .map(done -> (Map<String, AttributeValue>) tagged)
        .recover(err -> judge(err, operation, keyOf(item), writeId, landed));
  }

  /** A conditional update that is retry-safe by its write id. Succeeds with the item after the update. */
  public Future<Map<String, AttributeValue>> update(String operation, Map<String, AttributeValue> key, Update update,
      Condition condition) {
    return update(operation, key, update, condition, Landed.byWriteId());
  }

  /** A conditional update judged by {@code landed} when its condition fails. Succeeds with the item after it. */
  public Future<Map<String, AttributeValue>> update(String operation, Map<String, AttributeValue> key, Update update,
      Condition condition, Landed landed) {
    String writeId = UUID.randomUUID().toString();
    Map<String, String> names = new HashMap<>(update.names());
    Map<String, AttributeValue> values = new HashMap<>(update.values());
    names.put("#write_id", WRITE_ID);
    values.put(":write_id", AttributeValue.fromS(writeId));
    UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(name).key(key)
        .updateExpression(update.expression("#write_id = :write_id"))
        .returnValues(ReturnValue.ALL_NEW);
    applyCondition(condition, request::conditionExpression, request::expressionAttributeNames,
        request::expressionAttributeValues, names, values);
    UpdateItemRequest built = request.build();
    return call(operation, () -> dynamo.updateItem(built))
        .map(response -> response.attributes())
        .recover(err -> judge(err, operation, key, writeId, landed));
  }

  /** A conditional delete, judged by {@code landed} (usually {@link Landed#whenAbsent()}) when its condition fails. */
  public Future<Void> delete(String operation, Map<String, AttributeValue> key, Condition condition, Landed landed) {
    DeleteItemRequest.Builder request = DeleteItemRequest.builder().tableName(name).key(key);
    applyCondition(condition, request::conditionExpression, request::expressionAttributeNames,
        request::expressionAttributeValues, Map.of(), Map.of());
    DeleteItemRequest built = request.build();
    return call(operation, () -> dynamo.deleteItem(built))
        .<Void>mapEmpty()
        .recover(err -> judge(err, operation, key, "", landed).mapEmpty());
  }

  /** Every item a scan returns, page by page, mapped. */
  public <T> Future<List<T>> scanAll(String operation, ScanRequest first,
      Function<Map<String, AttributeValue>, T> mapper) {
    List<T> items = new ArrayList<>();
    return scanFrom(operation, first, null, mapper, items).map(done -> items);
  }

  private <T> Future<Void> scanFrom(String operation, ScanRequest first, Map<String, AttributeValue> startKey,
      Function<Map<String, AttributeValue>, T> mapper, List<T> into) {
    ScanRequest request = startKey == null ? first : first.toBuilder().exclusiveStartKey(startKey).build();
    return call(operation, () -> dynamo.scan(request)).compose((ScanResponse page) -> {
      page.items().forEach(item -> into.add(mapper.apply(item)));
      return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? scanFrom(operation, first, page.lastEvaluatedKey(), mapper, into)
          : Future.succeededFuture();
    });
  }

  /** One page of a query. */
  public Future<QueryResponse> query(String operation, QueryRequest request) {
    return call(operation, () -> dynamo.query(request));
  }

  /**
   * Writes {@code items} unconditionally in batches of 25 (BatchWriteItem's limit), {@code inFlight} batches at a time;
   * items the engine leaves unprocessed (throttling) are written again after a jittered backoff, a bounded number of
   * times. Unconditional puts of whole items are idempotent: a retried batch writes the same items again.
   */
  public Future<Void> batchPut(List<Map<String, AttributeValue>> items, int inFlight) {
    List<List<WriteRequest>> batches = new ArrayList<>();
    for (int from = 0; from < items.size(); from += BATCH_SIZE) {
      batches.add(items.subList(from, Math.min(items.size(), from + BATCH_SIZE)).stream()
          .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
          .toList());
    }
    return Lanes.each(batches, inFlight, this::writeBatch);
  }

  /** Writes a batch; what the engine leaves unprocessed is written again by the batch retry. */
  private Future<Void> writeBatch(List<WriteRequest> requests) {
    AtomicReference<List<WriteRequest>> pending = new AtomicReference<>(requests);
    AtomicInteger attempts = new AtomicInteger();
    return batchRetries.run(() -> {
      int attempt = attempts.incrementAndGet();
      BatchWriteItemRequest request = BatchWriteItemRequest.builder()
          .requestItems(Map.of(name, pending.get())).build();
      return call("batchWriteItem", () -> dynamo.batchWriteItem(request)).compose(response -> {
        List<WriteRequest> left = response.hasUnprocessedItems()
            ? response.unprocessedItems().getOrDefault(name, List.of()) : List.of();
        if (left.isEmpty()) {
          return Future.<Void>succeededFuture();
        }
        pending.set(left);
        return Future.<Void>failedFuture(new Unprocessed(
            left.size() + " items of " + name + " stayed unprocessed after " + attempt + " attempts"));
      });
    }).recover(DynamoTable::throttledAsUnavailable);
  }

  /**
   * Items still unprocessed after the batch's attempts mean the table is throttling: a state that passes, which the
   * caller answers by trying again later (a client gets 503 with {@code Retry-After}), not an internal error. Both
   * batch operations are safe to repeat whole (unconditional puts of whole items, reads).
   */
  private static <T> Future<T> throttledAsUnavailable(Throwable err) {
    if (!(err instanceof Unprocessed)) {
      return Future.failedFuture(err);
    }
    log.warn("dynamo.throttled {}", err.getMessage());
    return Future.failedFuture(new Unavailable("the database is throttling requests; retry shortly"));
  }

  /**
   * The items under {@code keys}, read consistently in batches of 100 (BatchGetItem's limit), {@code inFlight} batches
   * at a time; keys the engine leaves unprocessed are read again after a jittered backoff, a bounded number of times.
   * Absent items are simply not in the result, which is in no particular order.
   */
  public Future<List<Map<String, AttributeValue>>> batchGet(String operation, List<Map<String, AttributeValue>> keys,
      int inFlight) {
    List<List<Map<String, AttributeValue>>> batches = new ArrayList<>();
    List<Map<String, AttributeValue>> distinct = List.copyOf(new java.util.LinkedHashSet<>(keys));
    for (int from = 0; from < distinct.size(); from += GET_BATCH_SIZE) {
      batches.add(distinct.subList(from, Math.min(distinct.size(), from + GET_BATCH_SIZE)));
    }
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    return Lanes.each(batches, inFlight, batch -> readBatch(operation, batch, found)).map(done -> found);
  }

  /** Reads a batch; what the engine leaves unprocessed is read again by the batch retry. */
  private Future<Void> readBatch(String operation, List<Map<String, AttributeValue>> keys,
      List<Map<String, AttributeValue>> found) {
    AtomicReference<List<Map<String, AttributeValue>>> pending = new AtomicReference<>(keys);
    AtomicInteger attempts = new AtomicInteger();
    return batchGetRetries.run(() -> {
      int attempt = attempts.incrementAndGet();
      BatchGetItemRequest request = BatchGetItemRequest.builder()
          .requestItems(Map.of(name, KeysAndAttributes.builder().keys(pending.get()).consistentRead(true).build()))
          .build();
      return call(operation, () -> dynamo.batchGetItem(request)).compose(response -> {
        found.addAll(response.responses().getOrDefault(name, List.of()));
        KeysAndAttributes left = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(name) : null;
        if (left == null || left.keys().isEmpty()) {
          return Future.<Void>succeededFuture();
        }
        pending.set(left.keys());
        return Future.<Void>failedFuture(new Unprocessed(
            left.keys().size() + " keys of " + name + " stayed unprocessed after " + attempt + " attempts"));
      });
    }).recover(DynamoTable::throttledAsUnavailable);
  }

  private Future<Map<String, AttributeValue>> judge(Throwable err, String operation,
      Map<String, AttributeValue> key, String writeId, Landed landed) {
    if (!(err instanceof ConditionalCheckFailedException)) {
      return Future.failedFuture(err);
    }
    return get(operation + ".readBack", key).compose(current -> landed.test(current, writeId)
        ? Future.succeededFuture(current.orElse(Map.of())) // an earlier attempt landed; its reply was lost
        : Future.failedFuture(new ConditionFailed(name, operation, current)));
  }

  private Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> key = new HashMap<>();
    for (String attribute : keyAttributes) {
      AttributeValue value = item.get(attribute);
      if (value == null) {
        throw new IllegalArgumentException("an item of " + name + " lacks its key attribute " + attribute);
      }
      key.put(attribute, value);
    }
    return key;
  }

  private static void applyCondition(Condition condition, Function<String, ?> expression,
      Function<Map<String, String>, ?> namesSetter, Function<Map<String, AttributeValue>, ?> valuesSetter,
      Map<String, String> extraNames, Map<String, AttributeValue> extraValues) {
    Map<String, String> names = new HashMap<>(extraNames);
    Map<String, AttributeValue> values = new HashMap<>(extraValues);
    if (!condition.isNone()) {
      expression.apply(condition.expression());
      names.putAll(condition.names());
      values.putAll(condition.values());
    }
    if (!names.isEmpty()) {
      namesSetter.apply(names);
    }
    if (!values.isEmpty()) {
      valuesSetter.apply(values);
    }
  }
}
