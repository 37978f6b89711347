package io.webstore.catalog;

import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Duration;

/**
 * The {@code catalog} config section; every key has a default, so the section may be absent.
 *
 * @param instances catalog verticle instances ({@code instances}; 0 = one per core)
 * @param localTtl how long this instance keeps a product without hearing of a change ({@code localTtlSeconds})
 * @param localMaxProducts products kept in process ({@code localMaxProducts})
 * @param redisTtl lifetime of a product in the shared cache ({@code redisTtlSeconds})
 * @param redisMissingTtl lifetime of a "no such product" marker in the shared cache ({@code redisMissingTtlSeconds})
 * @param availableTtl how long an availability figure is reused ({@code availableTtlMs}, at most 1000)
 * @param snapshotRefresh period of the full reload of the listing snapshot and sales ({@code snapshotRefreshSeconds})
 * @param requestTimeout event-bus timeout towards inventory and of {@link CatalogClient} ({@code requestTimeoutMs})
 * @param seedBatchesInFlight demo seeding: BatchWriteItem calls in flight ({@code seedBatchesInFlight})
 * @param seedStockInFlight demo seeding: {@code inventory.set} requests in flight ({@code seedStockInFlight})
 * @param feedWritesInFlight pim.products: conditional product writes in flight per feed batch
 *     ({@code feedWritesInFlight})
 */
record CatalogSettings(int instances, Duration localTtl, int localMaxProducts, Duration redisTtl,
    Duration redisMissingTtl, Duration availableTtl, Duration snapshotRefresh, Duration requestTimeout,
    int seedBatchesInFlight, int seedStockInFlight, int feedWritesInFlight) {

  public static CatalogSettings from(WebstoreConfig config) {
    ConfigSection section = config.section("catalog");
    int instances = section.integerOrDefault("instances", 0, 0, 64);
    return new CatalogSettings(
        instances > 0 ? instances : Runtime.getRuntime().availableProcessors(),
        Duration.ofSeconds(section.integerOrDefault("localTtlSeconds", 60, 1, 3600)),
        section.integerOrDefault("localMaxProducts", 100_000, 100, 10_000_000),
        Duration.ofSeconds(section.integerOrDefault("redisTtlSeconds", 600, 1, 86_400)),
        Duration.ofSeconds(section.integerOrDefault("redisMissingTtlSeconds", 30, 10, 3600)),
        Duration.ofMillis(section.integerOrDefault("availableTtlMs", 1000, 0, 1000)),
        Duration.ofSeconds(section.integerOrDefault("snapshotRefreshSeconds", 60, 1, 86_400)),
        Duration.ofMillis(section.integerOrDefault("requestTimeoutMs", 5000, 100, 60_000)),
        section.integerOrDefault("seedBatchesInFlight", 4, 1, 32),
        section.integerOrDefault("seedStockInFlight", 32, 1, 256),
        // a few: on a busy 2-core machine 32 queued at the dev engine took 4x as long each for no more writes per
        // second, eating into the SDK's attempt timeout; a real table gets more by raising it
        section.integerOrDefault("feedWritesInFlight", 8, 1, 256));
  }
}
