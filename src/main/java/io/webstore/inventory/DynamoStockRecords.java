package io.webstore.inventory;

import io.vertx.core.Future;
import io.webstore.platform.error.Unavailable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Stock in the {@code inventory} table, partition key {@code pk}:
 * <ul>
 *   <li>root {@code sku#<sku>}: {@code buckets} (string set of the SKU's bucket ids)</li>
 *   <li>bucket {@code bucket#<sku>#<warehouse>#<shard>}: {@code on_hand}, {@code version} (+1 per write),
 *       {@code applied} (ids of holds committed from it), {@code ops} (restock operation ids applied to it)</li>
 * </ul>
 * A hot SKU's count is split over several bucket items (shards), each its own partition key, so commits spread over
 * partitions. Every write is a conditional single-item update; exactly-once comes from the id sets on the item that
 * changes. Those sets bound the item: at ~40 bytes per id and DynamoDB's 400 KB item limit, one bucket can remember
 * roughly 9,000 holds/operations; see the report for trimming.
 */
public final class DynamoStockRecords implements StockRecords {

  private static final String KIND_BUCKET = "bucket";
  private static final Map<String, String> NAMES = Map.of(
      "#on_hand", "on_hand", "#version", "version", "#applied", "applied", "#ops", "ops", "#sku", "sku",
      "#bucket", "bucket", "#kind", "kind", "#buckets", "buckets");

  private final DynamoDbAsyncClient dynamo;
  private final DynamoCalls calls;
  private final String table;

  public DynamoStockRecords(DynamoDbAsyncClient dynamo, DynamoCalls calls, String table) {
    this.dynamo = dynamo;
    this.calls = calls;
    this.table = table;
  }

  @Override
  public Future<Optional<BucketStock>> takeUnits(HoldPart part, String holdId) {
    UpdateItemRequest request = UpdateItemRequest.builder()
        .tableName(table)
        .key(bucketKey(part.sku(), part.bucket()))
        .updateExpression("SET #on_hand = #on_hand - :n ADD #applied :holds, #version :one")
        .conditionExpression("#on_hand >= :n AND NOT contains(#applied, :hold)")
        .expressionAttributeNames(names("#on_hand", "#applied", "#version"))
        .expressionAttributeValues(Map.of(
            ":n", n(part.quantity()), ":one", n(1),
            ":holds", AttributeValue.fromSs(List.of(holdId)), ":hold", AttributeValue.fromS(holdId)))
        .returnValues(ReturnValue.ALL_NEW)
        .build();
    return calls.call("takeUnits", () -> dynamo.updateItem(request))
        .map(response -> Optional.of(stock(response.attributes())))
        .recover(err -> err instanceof ConditionalCheckFailedException
            // applied before (a retry), or short: the item says which
            ? getBucket(part.sku(), part.bucket()).map(item -> item
                .filter(found -> found.containsKey("applied") && found.get("applied").ss().contains(holdId))
                .map(DynamoStockRecords::stock))
            : Future.failedFuture(err));
  }

  @Override
  public Future<Restocked> addUnits(String sku, String bucket, int quantity, String operationId) {
    return registerBuckets(sku, List.of(bucket)).compose(registered -> {
      UpdateItemRequest request = UpdateItemRequest.builder()
          .tableName(table)
          .key(bucketKey(sku, bucket))
          .updateExpression(
              "SET #sku = :sku, #bucket = :bucket, #kind = :kind ADD #on_hand :n, #version :one, #ops :ops")
          .conditionExpression("NOT contains(#ops, :op)")
          .expressionAttributeNames(names("#sku", "#bucket", "#kind", "#on_hand", "#version", "#ops"))
          .expressionAttributeValues(Map.of(
              ":sku", s(sku), ":bucket", s(bucket), ":kind", s(KIND_BUCKET), ":n", n(quantity), ":one", n(1),
              ":ops", AttributeValue.fromSs(List.of(operationId)), ":op", s(operationId)))
          .returnValues(ReturnValue.ALL_NEW)
          .build();
      return calls.call("addUnits", () -> dynamo.updateItem(request))
          .map(response -> new Restocked(stock(response.attributes()), true))
          .recover(err -> err instanceof ConditionalCheckFailedException
              ? getBucket(sku, bucket).map(item -> new Restocked(stock(item.orElseThrow()), false))
              : Future.failedFuture(err));
    });
  }

  @Override
  public Future<List<BucketStock>> setUnits(String sku, Map<String, Integer> onHandByBucket) {
    return registerBuckets(sku, List.copyOf(onHandByBucket.keySet())).compose(registered -> {
      List<Future<BucketStock>> writes = new ArrayList<>();
      onHandByBucket.forEach((bucket, units) -> {
        UpdateItemRequest request = UpdateItemRequest.builder()
            .tableName(table)
            .key(bucketKey(sku, bucket))
            .updateExpression("SET #on_hand = :n, #sku = :sku, #bucket = :bucket, #kind = :kind ADD #version :one")
            .expressionAttributeNames(names("#on_hand", "#sku", "#bucket", "#kind", "#version"))
            .expressionAttributeValues(Map.of(
                ":n", n(units), ":sku", s(sku), ":bucket", s(bucket), ":kind", s(KIND_BUCKET), ":one", n(1)))
            .returnValues(ReturnValue.ALL_NEW)
            .build();
        writes.add(calls.call("setUnits", () -> dynamo.updateItem(request))
            .map(response -> stock(response.attributes())));
      });
      return Future.all(writes).map(done -> writes.stream().map(Future::result).toList());
    });
  }

  @Override
  public Future<Optional<List<BucketStock>>> read(String sku) {
    return calls.call("getRoot", () -> dynamo.getItem(GetItemRequest.builder()
            .tableName(table).key(Map.of("pk", s(rootPk(sku)))).consistentRead(true).build()))
        .compose(root -> {
          if (!root.hasItem() || !root.item().containsKey("buckets")) {
            return Future.succeededFuture(Optional.empty());
          }
          List<String> buckets = root.item().get("buckets").ss();
          List<Future<Optional<Map<String, AttributeValue>>>> reads = buckets.stream()
              .map(bucket -> getBucket(sku, bucket)).toList();
          return Future.all(reads).map(done -> {
            List<BucketStock> stock = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
              String bucket = buckets.get(i);
              stock.add(reads.get(i).result().map(DynamoStockRecords::stock)
                  .orElse(new BucketStock(sku, bucket, 0, 0))); // registered, write not landed (yet)
            }
            return Optional.of(List.copyOf(stock));
          });
        });
  }

  @Override
  public Future<List<BucketSnapshot>> scanAll() {
    return scan(null, new ArrayList<>());
  }

  private Future<List<BucketSnapshot>> scan(Map<String, AttributeValue> startKey, List<BucketSnapshot> acc) {
    ScanRequest request = ScanRequest.builder()
        .tableName(table)
        .consistentRead(true)
        .filterExpression("#kind = :kind")
        .expressionAttributeNames(names("#kind"))
        .expressionAttributeValues(Map.of(":kind", s(KIND_BUCKET)))
        .exclusiveStartKey(startKey)
        .build();
    return calls.call("scan", () -> dynamo.scan(request)).compose((ScanResponse page) -> {
      page.items().forEach(item -> acc.add(new BucketSnapshot(stock(item),
          item.containsKey("applied") ? Set.copyOf(item.get("applied").ss()) : Set.of())));
      return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? scan(page.lastEvaluatedKey(), acc)
          : Future.succeededFuture(acc);
    });
  }

  private Future<Void> registerBuckets(String sku, List<String> buckets) {
    UpdateItemRequest request = UpdateItemRequest.builder()
        .tableName(table)
        .key(Map.of("pk", s(rootPk(sku))))
        .updateExpression("SET #sku = :sku, #kind = :kind ADD #buckets :buckets")
        .expressionAttributeNames(names("#sku", "#kind", "#buckets"))
        .expressionAttributeValues(Map.of(":sku", s(sku), ":kind", s("root"),
            ":buckets", AttributeValue.fromSs(new ArrayList<>(new HashSet<>(buckets)))))
        .build();
    return calls.call("registerBuckets", () -> dynamo.updateItem(request)).mapEmpty();
  }

  private Future<Optional<Map<String, AttributeValue>>> getBucket(String sku, String bucket) {
    return calls.call("getBucket", () -> dynamo.getItem(GetItemRequest.builder()
            .tableName(table).key(bucketKey(sku, bucket)).consistentRead(true).build()))
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(response.item())
            : Optional.empty());
  }

  private static BucketStock stock(Map<String, AttributeValue> item) {
    if (!item.containsKey("sku") || !item.containsKey("bucket")) {
      throw new Unavailable("a stock record is incomplete; retry shortly");
    }
    return new BucketStock(item.get("sku").s(), item.get("bucket").s(),
        item.containsKey("on_hand") ? Integer.parseInt(item.get("on_hand").n()) : 0,
        item.containsKey("version") ? Long.parseLong(item.get("version").n()) : 0);
  }

  private static Map<String, AttributeValue> bucketKey(String sku, String bucket) {
    return Map.of("pk", s("bucket#" + sku + "#" + bucket));
  }

  private static String rootPk(String sku) {
    return "sku#" + sku;
  }

  private static Map<String, String> names(String... placeholders) {
    Map<String, String> names = new java.util.HashMap<>();
    for (String placeholder : placeholders) {
      names.put(placeholder, NAMES.get(placeholder));
    }
    return names;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
