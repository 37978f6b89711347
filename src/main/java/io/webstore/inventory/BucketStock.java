package io.webstore.inventory;

/**
 * Units on hand in one bucket as DynamoDB last wrote them; {@code version} grows with every write to the item, so a
 * mirror can keep the newest value whatever order updates arrive in.
 */
record BucketStock(String sku, String bucket, int onHand, long version) {

  /** Bucket ids are {@code <warehouse>#<shard>}. */
  public static String bucketId(String warehouse, int shard) {
    return warehouse + "#" + shard;
  }

  public String warehouse() {
    int split = bucket.lastIndexOf('#');
    return split < 0 ? bucket : bucket.substring(0, split);
  }
}
