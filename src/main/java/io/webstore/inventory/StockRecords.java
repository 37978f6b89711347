package io.webstore.inventory;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable stock record (table {@code inventory}): per SKU, one item per bucket ({@code warehouse#shard}), each
 * written only by conditional single-item updates, plus a root item listing the SKU's buckets.
 */
interface StockRecords {

  /**
   * Takes a hold part's units from its bucket exactly once per hold: a repeat (retry, concurrent commit, crash
   * recovery) finds the hold already applied and returns the bucket as it is. Empty when the bucket has fewer units
   * than the part and has not applied it (stock was set below what was held).
   */
  Future<Optional<BucketStock>> takeUnits(HoldPart part, String holdId);

  /** Adds units to a bucket once per operation id; {@code applied} is false for a repeat. */
  Future<Restocked> addUnits(String sku, String bucket, int quantity, String operationId);

  /** Outcome of {@link #addUnits}. */
  record Restocked(BucketStock stock, boolean applied) {}

  /** Sets the given buckets' on-hand units (registering new buckets first); returns them as written. */
  Future<List<BucketStock>> setUnits(String sku, Map<String, Integer> onHandByBucket);

  /**
   * Sets each given bucket's on-hand units only where its stored sequence is lower than {@code sequence} (or absent),
   * and stores {@code sequence} with them; each bucket is its own conditional single-item write, so a repeat writes
   * exactly the buckets still behind. {@code register} are buckets to add to the SKU's root first. Returns, per bucket
   * in the map's order, the bucket as written, or empty when its stored sequence was not lower (nothing written).
   */
  Future<List<Optional<BucketStock>>> setUnitsIfNewer(String sku, Map<String, Integer> onHandByBucket, long sequence,
      List<String> register);

  /**
   * A bucket and the sequence of the feed record (or sequenced admin write) that last set it; {@link #NONE} when none
   * did (sequences start at 0).
   */
  record SequencedBucket(BucketStock stock, long sequence) {
    public static final long NONE = -1;
  }

  /** The SKU's buckets with their sequences; empty when the SKU was never stocked. */
  Future<List<SequencedBucket>> readSequenced(String sku);

  /**
   * What a batch of feed records needs to know, per SKU: the buckets registered on its root (every warehouse) and, of
   * those, the buckets of {@code warehousesBySku}'s warehouses as stored, with their sequences (a registered bucket
   * whose write has not landed reads as 0 units and {@link SequencedBucket#NONE}). A SKU never stocked has no entry.
   * This default reads one SKU at a time; an adapter should read many SKUs in a few calls.
   */
  default Future<Map<String, FeedView>> readForFeed(Map<String, Set<String>> warehousesBySku) {
    List<String> skus = List.copyOf(warehousesBySku.keySet());
    List<Future<List<SequencedBucket>>> reads = skus.stream().map(this::readSequenced).toList();
    return Future.all(reads).map(done -> {
      Map<String, FeedView> views = new HashMap<>();
      for (int i = 0; i < skus.size(); i++) {
        List<SequencedBucket> all = reads.get(i).result();
        if (all.isEmpty()) {
          continue;
        }
        Set<String> warehouses = warehousesBySku.get(skus.get(i));
        Set<String> registered = new HashSet<>();
        all.forEach(bucket -> registered.add(bucket.stock().bucket()));
        views.put(skus.get(i), new FeedView(Set.copyOf(registered), all.stream()
            .filter(bucket -> warehouses.contains(bucket.stock().warehouse())).toList()));
      }
      return views;
    });
  }

  /** Of {@link #readForFeed}: a SKU's registered bucket ids, and the requested warehouses' buckets as stored. */
  record FeedView(Set<String> registered, List<SequencedBucket> buckets) {}

  /** The SKU's buckets; empty when the SKU was never stocked. */
  Future<Optional<List<BucketStock>>> read(String sku);

  /** Every bucket of every SKU, consistently read (for a rebuild). */
  Future<List<BucketSnapshot>> scanAll();
}
