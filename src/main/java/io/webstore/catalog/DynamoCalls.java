package io.webstore.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The catalog's DynamoDB calls: each timed as {@code webstore.catalog.dynamo.calls}, resumed on the caller's context,
 * plus the paged scan and the bounded batch writer the adapters share.
 */
final class DynamoCalls {

  static final String METER = "webstore.catalog.dynamo.calls";
  /** BatchWriteItem's limit. */
  private static final int BATCH_SIZE = 25;
  /** Attempts for items DynamoDB leaves unprocessed (throttling), with jittered backoff between them. */
  private static final int BATCH_ATTEMPTS = 6;

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final MeterRegistry meters;
  private final int batchesInFlight;

  DynamoCalls(Vertx vertx, DynamoDbAsyncClient dynamo, MeterRegistry meters, int batchesInFlight) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.meters = meters;
    this.batchesInFlight = batchesInFlight;
  }

  DynamoDbAsyncClient client() {
    return dynamo;
  }

  <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> call) {
    return AwsFutures.timed(vertx, meters, METER, operation, () -> call.get());
  }

  /** Every item the scan returns, page by page. */
  <T> Future<List<T>> scanAll(ScanRequest first, Function<Map<String, AttributeValue>, T> mapper) {
    List<T> items = new ArrayList<>();
    return scanFrom(first, null, mapper, items).map(done -> items);
  }

  private <T> Future<Void> scanFrom(ScanRequest first, Map<String, AttributeValue> startKey,
      Function<Map<String, AttributeValue>, T> mapper, List<T> into) {
    ScanRequest request = startKey == null ? first : first.toBuilder().exclusiveStartKey(startKey).build();
    return call("scan", () -> dynamo.scan(request)).compose((ScanResponse page) -> {
      page.items().forEach(item -> into.add(mapper.apply(item)));
      return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? scanFrom(first, page.lastEvaluatedKey(), mapper, into)
          : Future.succeededFuture();
    });
  }

  /** Writes the items in batches of 25, {@code batchesInFlight} at a time. */
  Future<Void> batchPut(String table, List<Map<String, AttributeValue>> items) {
    List<List<WriteRequest>> batches = new ArrayList<>();
    for (int from = 0; from < items.size(); from += BATCH_SIZE) {
      batches.add(items.subList(from, Math.min(items.size(), from + BATCH_SIZE)).stream()
          .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
          .toList());
    }
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(batchesInFlight, batches.size()); lane++) {
      lanes.add(drain(table, batches, next));
    }
    return Future.all(lanes).mapEmpty();
  }

  /** One lane: takes the next batch until none is left. */
  private Future<Void> drain(String table, List<List<WriteRequest>> batches, AtomicInteger next) {
    int index = next.getAndIncrement();
    if (index >= batches.size()) {
      return Future.succeededFuture();
    }
    return writeBatch(table, batches.get(index), 1).compose(done -> drain(table, batches, next));
  }

  private Future<Void> writeBatch(String table, List<WriteRequest> requests, int attempt) {
    BatchWriteItemRequest request = BatchWriteItemRequest.builder().requestItems(Map.of(table, requests)).build();
    return call("batchWriteItem", () -> dynamo.batchWriteItem(request)).compose(response -> {
      List<WriteRequest> left = response.hasUnprocessedItems()
          ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
      if (left.isEmpty()) {
        return Future.succeededFuture();
      }
      if (attempt >= BATCH_ATTEMPTS) {
        return Future.failedFuture(new IllegalStateException(
            left.size() + " items of " + table + " stayed unprocessed after " + attempt + " attempts"));
      }
      long backoffMs = ThreadLocalRandom.current().nextLong(25L << attempt, 50L << attempt);
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(backoffMs, timer -> writeBatch(table, left, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }
}
