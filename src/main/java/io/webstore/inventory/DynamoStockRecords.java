package io.webstore.inventory;

import static io.webstore.platform.dynamo.Attrs.n;
import static io.webstore.platform.dynamo.Attrs.s;

import io.vertx.core.Future;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Landed;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Unavailable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Stock in the {@code inventory} table, partition key {@code pk}:
 * <ul>
 *   <li>root {@code sku#<sku>}: {@code buckets} (string set of the SKU's bucket ids)</li>
 *   <li>bucket {@code bucket#<sku>#<warehouse>#<shard>}: {@code on_hand}, {@code version} (+1 per write),
 *       {@code applied} (ids of holds committed from it), {@code ops} (restock operation ids applied to it),
 *       {@code seq} (the sequence of the supply feed record, or sequenced admin write, that last set it)</li>
 * </ul>
 * A hot SKU's count is split over several bucket items (shards), each its own partition key, so commits spread over
 * partitions. Every write is a conditional single-item update; exactly-once comes from the id sets on the item that
 * changes. Those sets bound the item: at ~40 bytes per id and DynamoDB's 400 KB item limit, one bucket can remember
 * roughly 9,000 holds/operations; see the report for trimming.
 */
final class DynamoStockRecords implements StockRecords {

  private static final String KIND_BUCKET = "bucket";
  private static final String SEQ = "seq";
  private static final Map<String, String> NAMES = Map.of(
      "#on_hand", "on_hand", "#version", "version", "#applied", "applied", "#ops", "ops", "#sku", "sku",
      "#bucket", "bucket", "#kind", "kind", "#buckets", "buckets");

  /** BatchGetItem calls of one {@link #readForFeed} in flight at once. */
  private static final int BATCH_READS_IN_FLIGHT = 4;

  private final DynamoTable table;

  public DynamoStockRecords(DynamoTable table) {
    this.table = table;
  }

  @Override
  public Future<Optional<BucketStock>> takeUnits(HoldPart part, String holdId) {
    Update take = Update.create()
        .set("#on_hand = #on_hand - :n")
        .add("#applied :holds, #version :one")
        .name("#on_hand", "on_hand").name("#applied", "applied").name("#version", "version")
        .value(":n", n(part.quantity())).value(":one", n(1)).value(":holds", Attrs.ss(List.of(holdId)));
    Condition enoughAndNew = Condition.of("#on_hand >= :n AND NOT contains(#applied, :hold)")
        .value(":hold", s(holdId));
    // idempotent by construction: the hold's id in applied is the take, whichever attempt wrote it (a bucket is hot,
    // so its write id may already be another writer's)
    return table.update("takeUnits", bucketKey(part.sku(), part.bucket()), take, enoughAndNew,
            Landed.whenItem(item -> Attrs.setContains(item, "applied", holdId)))
        .map(item -> Optional.of(stock(item)))
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture(Optional.empty()) // short
            : Future.failedFuture(err));
  }

  @Override
  public Future<Restocked> addUnits(String sku, String bucket, int quantity, String operationId) {
    return registerBuckets(sku, List.of(bucket)).compose(registered -> {
      Update add = Update.create()
          .set("#sku = :sku, #bucket = :bucket, #kind = :kind")
          .add("#on_hand :n, #version :one, #ops :ops")
          .name("#sku", "sku").name("#bucket", "bucket").name("#kind", "kind").name("#on_hand", "on_hand")
          .name("#version", "version").name("#ops", "ops")
          .value(":sku", s(sku)).value(":bucket", s(bucket)).value(":kind", s(KIND_BUCKET))
          .value(":n", n(quantity)).value(":one", n(1)).value(":ops", Attrs.ss(List.of(operationId)));
      // the operation id in ops makes it exactly-once; the write id tells this call's landed attempt apart from an
      // earlier call of the same operation
      return table.update("addUnits", bucketKey(sku, bucket), add,
              Condition.of("NOT contains(#ops, :op)").value(":op", s(operationId)))
          .map(item -> new Restocked(stock(item), true))
          .recover(err -> err instanceof ConditionFailed failed && failed.current().isPresent()
              ? Future.succeededFuture(new Restocked(stock(failed.current().get()), false))
              : Future.failedFuture(err));
    });
  }

  @Override
  public Future<List<BucketStock>> setUnits(String sku, Map<String, Integer> onHandByBucket) {
    return registerBuckets(sku, List.copyOf(onHandByBucket.keySet())).compose(registered -> {
      List<Future<BucketStock>> writes = new ArrayList<>();
      onHandByBucket.forEach((bucket, units) -> {
        // unconditional and absolute: a retried attempt sets the same count again
        UpdateItemRequest request = UpdateItemRequest.builder()
            .tableName(table.name())
            .key(bucketKey(sku, bucket))
            .updateExpression("SET #on_hand = :n, #sku = :sku, #bucket = :bucket, #kind = :kind ADD #version :one")
            .expressionAttributeNames(names("#on_hand", "#sku", "#bucket", "#kind", "#version"))
            .expressionAttributeValues(Map.of(
                ":n", n(units), ":sku", s(sku), ":bucket", s(bucket), ":kind", s(KIND_BUCKET), ":one", n(1)))
            .returnValues(ReturnValue.ALL_NEW)
            .build();
        writes.add(table.call("setUnits", () -> table.client().updateItem(request))
            .map(response -> stock(response.attributes())));
      });
      return Future.all(writes).map(done -> writes.stream().map(Future::result).toList());
    });
  }

  @Override
  public Future<List<Optional<BucketStock>>> setUnitsIfNewer(String sku, Map<String, Integer> onHandByBucket,
      long sequence, List<String> register) {
    Future<Void> registered = register.isEmpty() ? Future.succeededFuture() : registerBuckets(sku, register);
    return registered.compose(done -> {
      List<Future<Optional<BucketStock>>> writes = new ArrayList<>();
      onHandByBucket.forEach((bucket, units) -> {
        Update set = Update.create()
            .set("#on_hand = :n, #seq = :seq, #sku = :sku, #bucket = :bucket, #kind = :kind")
            .add("#version :one")
            .name("#on_hand", "on_hand").name("#seq", SEQ).name("#sku", "sku").name("#bucket", "bucket")
            .name("#kind", "kind").name("#version", "version")
            .value(":n", n(units)).value(":seq", n(sequence)).value(":sku", s(sku)).value(":bucket", s(bucket))
            .value(":kind", s(KIND_BUCKET)).value(":one", n(1));
        Condition behind = Condition.of("attribute_not_exists(#seq) OR #seq < :seq");
        // judged by write id: a landed attempt whose reply was lost is this write; an equal sequence stored by an
        // earlier delivery of the same record is not (that delivery applied it, this one is stale)
        writes.add(table.update("setUnitsIfNewer", bucketKey(sku, bucket), set, behind)
            .map(item -> Optional.of(stock(item)))
            .recover(err -> err instanceof ConditionFailed
                ? Future.succeededFuture(Optional.<BucketStock>empty())
                : Future.failedFuture(err)));
      });
      return Future.all(writes).map(all -> writes.stream().map(Future::result).toList());
    });
  }

  @Override
  public Future<List<SequencedBucket>> readSequenced(String sku) {
    return table.get("getRoot", Map.of("pk", s(rootPk(sku))))
        .compose(root -> {
          if (root.isEmpty() || !root.get().containsKey("buckets")) {
            return Future.succeededFuture(List.<SequencedBucket>of());
          }
          List<String> buckets = root.get().get("buckets").ss();
          List<Future<Optional<Map<String, AttributeValue>>>> reads = buckets.stream()
              .map(bucket -> getBucket(sku, bucket)).toList();
          return Future.all(reads).map(done -> {
            List<SequencedBucket> stock = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
              String bucket = buckets.get(i);
              stock.add(reads.get(i).result()
                  .map(item -> new SequencedBucket(stock(item),
                      item.containsKey(SEQ) ? Long.parseLong(item.get(SEQ).n()) : SequencedBucket.NONE))
                  .orElse(new SequencedBucket(new BucketStock(sku, bucket, 0, 0), SequencedBucket.NONE)));
            }
            return List.copyOf(stock);
          });
        });
  }

  /** Two rounds of batched consistent reads: the SKUs' roots, then the registered buckets of the asked warehouses. */
  @Override
  public Future<Map<String, FeedView>> readForFeed(Map<String, Set<String>> warehousesBySku) {
    List<Map<String, AttributeValue>> rootKeys = warehousesBySku.keySet().stream()
        .map(sku -> Map.of("pk", s(rootPk(sku)))).toList();
    return table.batchGet("getRoots", rootKeys, BATCH_READS_IN_FLIGHT).compose(roots -> {
      Map<String, Set<String>> registered = new HashMap<>();
      List<Map<String, AttributeValue>> bucketKeys = new ArrayList<>();
      for (Map<String, AttributeValue> root : roots) {
        if (!root.containsKey("sku") || !root.containsKey("buckets")) {
          continue;
        }
        String sku = root.get("sku").s();
        Set<String> warehouses = warehousesBySku.getOrDefault(sku, Set.of());
        Set<String> buckets = Set.copyOf(root.get("buckets").ss());
        registered.put(sku, buckets);
        buckets.stream()
            .filter(bucket -> warehouses.contains(new BucketStock(sku, bucket, 0, 0).warehouse()))
            .forEach(bucket -> bucketKeys.add(bucketKey(sku, bucket)));
      }
      return table.batchGet("getBuckets", bucketKeys, BATCH_READS_IN_FLIGHT).map(items -> {
        Map<String, Map<String, SequencedBucket>> stored = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
          BucketStock stock = stock(item);
          stored.computeIfAbsent(stock.sku(), sku -> new HashMap<>()).put(stock.bucket(), new SequencedBucket(stock,
              item.containsKey(SEQ) ? Long.parseLong(item.get(SEQ).n()) : SequencedBucket.NONE));
        }
        Map<String, FeedView> views = new HashMap<>();
        registered.forEach((sku, buckets) -> {
          Set<String> warehouses = warehousesBySku.getOrDefault(sku, Set.of());
          List<SequencedBucket> asked = new ArrayList<>();
          for (String bucket : new java.util.TreeSet<>(buckets)) {
            BucketStock empty = new BucketStock(sku, bucket, 0, 0); // registered, write not landed (yet)
            if (warehouses.contains(empty.warehouse())) {
              asked.add(stored.getOrDefault(sku, Map.of()).getOrDefault(bucket,
                  new SequencedBucket(empty, SequencedBucket.NONE)));
            }
          }
          views.put(sku, new FeedView(buckets, List.copyOf(asked)));
        });
        return views;
      });
    });
  }

  @Override
  public Future<Optional<List<BucketStock>>> read(String sku) {
    return table.get("getRoot", Map.of("pk", s(rootPk(sku))))
        .compose(root -> {
          if (root.isEmpty() || !root.get().containsKey("buckets")) {
            return Future.succeededFuture(Optional.empty());
          }
          List<String> buckets = root.get().get("buckets").ss();
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
    return table.scanAll("scan", ScanRequest.builder()
        .tableName(table.name())
        .consistentRead(true)
        .filterExpression("#kind = :kind")
        .expressionAttributeNames(names("#kind"))
        .expressionAttributeValues(Map.of(":kind", s(KIND_BUCKET)))
        .build(), item -> new BucketSnapshot(stock(item),
            item.containsKey("applied") ? Set.copyOf(item.get("applied").ss()) : Set.of()));
  }

  /** Registers buckets on the SKU's root: an unconditional set union, so a retried attempt changes nothing. */
  private Future<Void> registerBuckets(String sku, List<String> buckets) {
    UpdateItemRequest request = UpdateItemRequest.builder()
        .tableName(table.name())
        .key(Map.of("pk", s(rootPk(sku))))
        .updateExpression("SET #sku = :sku, #kind = :kind ADD #buckets :buckets")
        .expressionAttributeNames(names("#sku", "#kind", "#buckets"))
        .expressionAttributeValues(Map.of(":sku", s(sku), ":kind", s("root"),
            ":buckets", AttributeValue.fromSs(new ArrayList<>(new HashSet<>(buckets)))))
        .build();
    return table.call("registerBuckets", () -> table.client().updateItem(request)).mapEmpty();
  }

  private Future<Optional<Map<String, AttributeValue>>> getBucket(String sku, String bucket) {
    return table.get("getBucket", bucketKey(sku, bucket));
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
}
