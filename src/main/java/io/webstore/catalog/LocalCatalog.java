package io.webstore.catalog;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * The process's {@link ProductCatalog}, registered with its Vert.x instance when the catalog feature runs in it, so
 * that {@link CatalogClient#prices} can quote on the caller's event loop instead of through {@code catalog.price} on a
 * catalog verticle's: the catalog verticles hold no state of their own (the caches and snapshots are the process's,
 * built for concurrent use), so the answer is the same, without two messages, a JSON copy each way and a wake-up of
 * another event loop. Without the feature in this process (disabled, or another store), callers use the bus.
 */
final class LocalCatalog implements Shareable {

  private static final String MAP = "webstore.catalog.local";
  private static final String KEY = "catalog";

  private final ProductCatalog catalog;

  private LocalCatalog(ProductCatalog catalog) {
    this.catalog = catalog;
  }

  /** Makes {@code catalog} the one that clients of {@code vertx} quote from. */
  static void register(Vertx vertx, ProductCatalog catalog) {
    map(vertx).put(KEY, new LocalCatalog(catalog));
  }

  /** The catalog of {@code vertx}'s process, or null when the catalog feature does not run in it. */
  static ProductCatalog of(Vertx vertx) {
    LocalCatalog local = map(vertx).get(KEY);
    return local == null ? null : local.catalog;
  }

  private static LocalMap<String, LocalCatalog> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
