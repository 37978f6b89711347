package io.webstore.inventory;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link StockRecords} in memory, with the conditions of {@link DynamoStockRecords}: a take lands only when the bucket
 * has the units and has not applied the hold (a repeat answers the bucket as it is, a short take empty), a restock
 * only for an operation id it has not applied, a set is absolute; every write moves the bucket's version by one, and
 * a SKU lists the buckets it was ever given.
 */
final class InMemoryStockRecords implements StockRecords {

  /** One bucket item: its units, version and the ids it has applied. */
  private static final class Bucket {
    final String sku;
    final String bucket;
    int onHand;
    long version;
    long sequence = SequencedBucket.NONE;
    final Set<String> applied = new HashSet<>();
    final Set<String> ops = new HashSet<>();

    Bucket(String sku, String bucket) {
      this.sku = sku;
      this.bucket = bucket;
    }

    BucketStock stock() {
      return new BucketStock(sku, bucket, onHand, version);
    }
  }

  private final Map<String, Set<String>> bucketsBySku = new HashMap<>();
  private final Map<String, Bucket> buckets = new HashMap<>();

  @Override
  public synchronized Future<Optional<BucketStock>> takeUnits(HoldPart part, String holdId) {
    Bucket bucket = buckets.get(key(part.sku(), part.bucket()));
    if (bucket == null) {
      return Future.succeededFuture(Optional.empty());
    }
    if (bucket.applied.contains(holdId)) {
      return Future.succeededFuture(Optional.of(bucket.stock()));
    }
    if (bucket.onHand < part.quantity()) {
      return Future.succeededFuture(Optional.empty());
    }
    bucket.onHand -= part.quantity();
    bucket.applied.add(holdId);
    bucket.version++;
    return Future.succeededFuture(Optional.of(bucket.stock()));
  }

  @Override
  public synchronized Future<Restocked> addUnits(String sku, String bucketId, int quantity, String operationId) {
    Bucket bucket = bucket(sku, bucketId);
    if (!bucket.ops.add(operationId)) {
      return Future.succeededFuture(new Restocked(bucket.stock(), false));
    }
    bucket.onHand += quantity;
    bucket.version++;
    return Future.succeededFuture(new Restocked(bucket.stock(), true));
  }

  @Override
  public synchronized Future<List<BucketStock>> setUnits(String sku, Map<String, Integer> onHandByBucket) {
    List<BucketStock> written = new ArrayList<>();
    onHandByBucket.forEach((bucketId, units) -> {
      Bucket bucket = bucket(sku, bucketId);
      bucket.onHand = units;
      bucket.version++;
      written.add(bucket.stock());
    });
    return Future.succeededFuture(List.copyOf(written));
  }

  @Override
  public synchronized Future<List<Optional<BucketStock>>> setUnitsIfNewer(String sku,
      Map<String, Integer> onHandByBucket, long sequence, List<String> register) {
    register.forEach(bucketId -> bucketsBySku.computeIfAbsent(sku, s -> new LinkedHashSet<>()).add(bucketId));
    List<Optional<BucketStock>> written = new ArrayList<>();
    onHandByBucket.forEach((bucketId, units) -> {
      Bucket bucket = bucket(sku, bucketId);
      if (bucket.sequence >= sequence) {
        written.add(Optional.empty());
        return;
      }
      bucket.onHand = units;
      bucket.sequence = sequence;
      bucket.version++;
      written.add(Optional.of(bucket.stock()));
    });
    return Future.succeededFuture(written);
  }

  @Override
  public synchronized Future<List<SequencedBucket>> readSequenced(String sku) {
    Set<String> ids = bucketsBySku.getOrDefault(sku, Set.of());
    // a bucket registered on the SKU whose write never landed reads as empty, as in DynamoDB
    return Future.succeededFuture(ids.stream().map(id -> buckets.containsKey(key(sku, id))
        ? new SequencedBucket(buckets.get(key(sku, id)).stock(), buckets.get(key(sku, id)).sequence)
        : new SequencedBucket(new BucketStock(sku, id, 0, 0), SequencedBucket.NONE)).toList());
  }

  @Override
  public synchronized Future<Optional<List<BucketStock>>> read(String sku) {
    Set<String> ids = bucketsBySku.get(sku);
    if (ids == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return Future.succeededFuture(Optional.of(ids.stream().map(id -> buckets.containsKey(key(sku, id))
        ? buckets.get(key(sku, id)).stock()
        : new BucketStock(sku, id, 0, 0)).toList()));
  }

  @Override
  public synchronized Future<List<BucketSnapshot>> scanAll() {
    return Future.succeededFuture(buckets.values().stream()
        .map(bucket -> new BucketSnapshot(bucket.stock(), Set.copyOf(bucket.applied)))
        .toList());
  }

  /** The bucket, registered on its SKU and created empty when new. */
  private Bucket bucket(String sku, String bucketId) {
    bucketsBySku.computeIfAbsent(sku, s -> new LinkedHashSet<>()).add(bucketId);
    return buckets.computeIfAbsent(key(sku, bucketId), k -> new Bucket(sku, bucketId));
  }

  private static String key(String sku, String bucket) {
    return sku + "#" + bucket;
  }
}
