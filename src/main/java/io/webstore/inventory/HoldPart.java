package io.webstore.inventory;

/**
 * The units a hold took from one bucket (one DynamoDB item: a warehouse's count, or one shard of it for a hot SKU).
 * A line is split over buckets when no single bucket has enough; committing decrements exactly these items.
 */
record HoldPart(String sku, String bucket, int quantity) {}
