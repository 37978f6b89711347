package io.webstore.inventory;

import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigSection;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code inventory} config section; every key has a default, so the section may be absent.
 *
 * @param holdTtl how long a hold keeps its units when the request names no {@code ttl_seconds}
 * @param maxHoldTtl the longest {@code ttl_seconds} a request may ask for
 * @param sweepInterval how often the sweeper returns expired holds and checks that the ledger is intact
 * @param sweepBatch holds the sweeper handles per pass
 * @param shards items a SKU's default-warehouse count is split over when it is set (more for very hot SKUs)
 * @param defaultWarehouse the warehouse that {@code set} and {@code restock} write to
 * @param tombstone how long the ledger remembers a finished hold, for idempotent replies
 * @param rollForward how long a commit may be in flight before the sweeper finishes it
 * @param rebuildLease how long the rebuild lock lasts without progress
 * @param readyWait how long deployment waits for the ledger to be ready
 * @param holdRetention how long hold records are kept (their DynamoDB TTL attribute)
 * @param ledgerQueue Redis or DynamoDB calls that may wait for a free slot (more are refused at once)
 * @param ledgerQueueTimeout how long a call may wait for a slot before it is refused unsent
 * @param dynamoInFlight DynamoDB calls in flight at once (Redis: the pool size, {@code redis.poolSize})
 * @param lowStockThreshold available units at or below which a SKU is announced as low on stock
 * @param knownSkus how many SKUs the feed remembers as known to the catalog (a bounded cache, so a feed over many
 *     SKUs asks the catalog once per SKU, not once per record)
 * @param feedConcurrency records of one feed batch written at once
 */
record InventorySettings(Duration holdTtl, Duration maxHoldTtl, Duration sweepInterval, int sweepBatch,
    int shards, String defaultWarehouse, Duration tombstone, Duration rollForward, Duration rebuildLease,
    Duration readyWait, Duration holdRetention, int ledgerQueue, Duration ledgerQueueTimeout, int dynamoInFlight,
    int lowStockThreshold, int knownSkus, int feedConcurrency) {

  /** A warehouse id: what {@code defaultWarehouse} and a feed record's {@code warehouse} must match. */
  static final Pattern WAREHOUSE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public static InventorySettings from(ConfigSection section) {
    String warehouse = section.stringOrDefault("defaultWarehouse", "WH-DEFAULT");
    if (!WAREHOUSE.matcher(warehouse).matches()) {
      throw new ConfigException("inventory.defaultWarehouse must be 1-64 letters, digits, '.', '_' or '-' (got "
          + warehouse + "; set it in conf/ or " + section.envName("defaultWarehouse") + ")");
    }
    int maxTtl = section.integerOrDefault("maxHoldTtlSeconds", 3_600, 1, 86_400);
    return new InventorySettings(
        Duration.ofSeconds(section.integerOrDefault("holdTtlSeconds", 120, 1, maxTtl)),
        Duration.ofSeconds(maxTtl),
        Duration.ofMillis(section.integerOrDefault("sweepIntervalMs", 1_000, 50, 60_000)),
        section.integerOrDefault("sweepBatch", 200, 1, 10_000),
        section.integerOrDefault("shards", 1, 1, 64),
        warehouse,
        Duration.ofSeconds(section.integerOrDefault("tombstoneSeconds", 86_400, 60, 30 * 86_400)),
        Duration.ofMillis(section.integerOrDefault("rollForwardMs", 30_000, 1_000, 3_600_000)),
        Duration.ofMillis(section.integerOrDefault("rebuildLeaseMs", 30_000, 1_000, 600_000)),
        Duration.ofMillis(section.integerOrDefault("readyWaitMs", 10_000, 0, 600_000)),
        Duration.ofDays(section.integerOrDefault("holdRetentionDays", 7, 1, 365)),
        section.integerOrDefault("ledgerQueue", 20_000, 0, 1_000_000),
        Duration.ofMillis(section.integerOrDefault("ledgerQueueTimeoutMs", 5_000, 10, 60_000)),
        section.integerOrDefault("dynamoInFlight", 32, 1, 10_000),
        section.integerOrDefault("lowStockThreshold", 5, 0, 1_000_000),
        section.integerOrDefault("knownSkus", 100_000, 0, 10_000_000),
        section.integerOrDefault("feedConcurrency", 16, 1, 1_000));
  }
}
