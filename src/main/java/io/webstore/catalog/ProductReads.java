package io.webstore.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.error.Unavailable;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache tiers of the process's product reads: Caffeine (in process) → {@link SharedProductCache} (Redis) →
 * {@link ProductStore} (DynamoDB); concurrent misses of one SKU share one load, whichever catalog verticle instance
 * asks (Caffeine's caches are built for concurrent use; nothing here takes a lock of its own). Availability comes
 * from inventory, kept at most {@code availableTtl} (≤ 1 s) and dropped when inventory reports a change here.
 */
final class ProductReads {

  private static final Logger log = LoggerFactory.getLogger(ProductReads.class);

  private final Vertx vertx;
  private final ProductStore store;
  private final StoreLocations locations;
  private final SharedProductCache shared;
  private final InventoryClient inventory;
  private final AsyncCache<String, ProductEntry> products;
  private final AsyncCache<String, Integer> available;
  private final AsyncCache<String, JsonObject> storeList;
  private final Counter storeLoads;
  private final Counter sharedLoads;
  private final Counter inventoryFailures;

  ProductReads(Vertx vertx, ProductStore store, StoreLocations locations, SharedProductCache shared,
      InventoryClient inventory, CatalogSettings settings, MeterRegistry meters) {
    this.vertx = vertx;
    this.store = store;
    this.locations = locations;
    this.shared = shared;
    this.inventory = inventory;
    this.products = Caffeine.newBuilder()
        .maximumSize(settings.localMaxProducts())
        .expireAfterWrite(settings.localTtl()) // bounds staleness should an invalidation be lost
        .recordStats()
        .buildAsync();
    CaffeineCacheMetrics.monitor(meters, products, "webstore.catalog.products");
    this.available = Caffeine.newBuilder()
        .maximumSize(settings.localMaxProducts())
        .expireAfterWrite(settings.availableTtl())
        .buildAsync();
    this.storeList = Caffeine.newBuilder().maximumSize(1).expireAfterWrite(settings.localTtl()).buildAsync();
    this.storeLoads = Counter.builder("webstore.catalog.product.loads").tag("source", "store").register(meters);
    this.sharedLoads = Counter.builder("webstore.catalog.product.loads").tag("source", "shared").register(meters);
    this.inventoryFailures = Counter.builder("webstore.catalog.inventory.failures").register(meters);
  }

  /** The product's entry ({@link ProductEntry#MISSING} when there is none), from the nearest tier that has it. */
  Future<ProductEntry> entry(String sku) {
    return fromCompletable(products.get(sku, (key, executor) -> load(key).toCompletionStage().toCompletableFuture()));
  }

  /** Units one can buy now; fails with Unavailable while inventory does not answer. */
  Future<Integer> availability(String sku) {
    return fromCompletable(available.get(sku, (key, executor) -> units(List.of(key))
            .map(units -> units.get(key))
            .otherwise(this::inventoryFailed)
            .toCompletionStage().toCompletableFuture()))
        .compose(units -> units == null ? Future.failedFuture(availabilityUnknown()) : Future.succeededFuture(units));
  }

  /** Units one can buy now per SKU; fails with Unavailable while inventory does not answer. */
  Future<Map<String, Integer>> availability(List<String> skus) {
    if (skus.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return fromCompletable(available.getAll(skus, (missing, executor) -> units(missing)
            .otherwise(err -> {
              inventoryFailed(err);
              return Map.of();
            })
            .toCompletionStage().toCompletableFuture()))
        .compose(units -> units.size() < skus.size()
            ? Future.failedFuture(availabilityUnknown())
            : Future.succeededFuture(units));
  }

  /** The physical stores, {@code {"items": [...]}}; kept in process for the local TTL (they rarely change). */
  Future<JsonObject> stores() {
    return fromCompletable(storeList.get("all", (key, executor) -> locations.all()
        .map(all -> new JsonObject().put("items", new JsonArray(all.stream()
            .sorted(Comparator.comparing(StoreLocation::id))
            .map(CatalogJson::store)
            .toList())))
        .toCompletionStage().toCompletableFuture()));
  }

  /** After a write here: the entry as written, and its availability read afresh. */
  void written(String sku, ProductEntry entry) {
    products.put(sku, CompletableFuture.completedFuture(entry));
    available.synchronous().invalidate(sku);
  }

  /** After another instance's change: the product and its availability are read afresh. */
  void forget(String sku) {
    products.synchronous().invalidate(sku);
    available.synchronous().invalidate(sku);
  }

  /** Inventory reported a change of this SKU's availability on this instance. */
  void availabilityChanged(String sku) {
    available.synchronous().invalidate(sku);
  }

  /** Forgets everything kept in process (after invalidations may have been missed). */
  void dropLocal() {
    products.synchronous().invalidateAll();
    available.synchronous().invalidateAll();
    storeList.synchronous().invalidateAll();
  }

  private Future<ProductEntry> load(String sku) {
    return shared.get(sku)
        .recover(err -> {
          // the shared cache is an optimisation: without it reads go to the store
          log.warn("catalog.shared_cache.read_failed error={}", err.toString());
          return Future.succeededFuture(null);
        })
        .compose(cached -> {
          if (cached != null && cached.cached()) {
            sharedLoads.increment();
            return Future.succeededFuture(ProductEntry.of(cached.product()));
          }
          return store.find(sku).map(found -> {
            storeLoads.increment();
            Product product = found.orElse(null);
            if (cached != null) { // null: the shared cache is down, don't wait for it again
              shared.fillIfAbsent(sku, product)
                  .onFailure(err -> log.warn("catalog.shared_cache.fill_failed error={}", err.toString()));
            }
            return ProductEntry.of(product);
          });
        });
  }

  /** Inventory's answer for every SKU asked: what it does not know, or reports below zero, is 0. */
  private Future<Map<String, Integer>> units(Collection<? extends String> skus) {
    return inventory.availability(List.copyOf(skus)).map(reply -> {
      Map<String, Integer> units = new HashMap<>(skus.size() * 2);
      for (String sku : skus) {
        Integer value = reply.get(sku);
        units.put(sku, value == null ? 0 : Math.max(0, value));
      }
      return units;
    });
  }

  /**
   * A failed availability load completes with nothing rather than failing: Caffeine logs every failed load, which
   * during an inventory outage would be a line per request; a counter and a debug line say it instead.
   */
  private <T> T inventoryFailed(Throwable err) {
    inventoryFailures.increment();
    log.debug("catalog.inventory.failed error={}", err.toString());
    return null;
  }

  private static Unavailable availabilityUnknown() {
    return new Unavailable("availability is unknown right now; retry shortly");
  }

  /** Resumes a Caffeine future on the caller's context; an already completed one without a hop. */
  private <T> Future<T> fromCompletable(CompletableFuture<T> future) {
    if (future.isDone()) {
      try {
        return Future.succeededFuture(future.getNow(null));
      } catch (CompletionException e) {
        return Future.failedFuture(e.getCause() == null ? e : e.getCause());
      } catch (CancellationException e) {
        return Future.failedFuture(e);
      }
    }
    return Future.fromCompletionStage(future, vertx.getOrCreateContext())
        .recover(err -> Future.failedFuture(err instanceof CompletionException && err.getCause() != null
            ? err.getCause() : err));
  }
}
