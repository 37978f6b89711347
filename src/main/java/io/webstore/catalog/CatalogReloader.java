package io.webstore.catalog;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.catalog.SharedProductCache.Invalidation;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.resilience.Lanes;
import io.webstore.platform.resilience.SingleRun;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's in-process snapshots, the listing of every product and the {@link SaleIndex}, and what keeps them and
 * the cache tiers in step: single changes, periodic reloads, and the invalidations sent to and received from the
 * other instances over Redis. Both snapshots are owned by one verticle ({@link CatalogSyncVerticle}, one per process):
 * every change of them runs on its context, one at a time, so they need no lock; readers on any catalog verticle
 * instance read their immutable views.
 */
final class CatalogReloader {

  private static final Logger log = LoggerFactory.getLogger(CatalogReloader.class);
  /** Shared-cache writes (and reads after another instance's batch) in flight for one batch of products. */
  private static final int SHARED_WRITES_IN_FLIGHT = 32;

  private final Vertx vertx;
  private final ProductStore store;
  private final SaleStore sales;
  private final SharedProductCache shared;
  private final ProductReads reads;
  private final Clock clock;
  /** Marks this process's invalidations, which it has applied already when Redis delivers them back. */
  private final String origin = UUID.randomUUID().toString();
  private final LiveIndex<ProductEntry, Listing> listing = new LiveIndex<>(Listing::of);
  private final SaleIndex saleIndex = new SaleIndex();

  private volatile Context owner; // set once, when the owning verticle starts
  private final SingleRun<Void> reloads = new SingleRun<>(); // used on the owner context only

  CatalogReloader(Vertx vertx, ProductStore store, SaleStore sales, SharedProductCache shared, ProductReads reads,
      Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.sales = sales;
    this.shared = shared;
    this.reads = reads;
    this.clock = clock;
  }

  /** Called by the owning verticle as it starts: from now on every change of the snapshots runs on its context. */
  void ownedBy(Context context) {
    this.owner = context;
  }

  /** The listing snapshot: every product, in SKU order and by category. */
  Listing listing() {
    return listing.view();
  }

  SaleIndex sales() {
    return saleIndex;
  }

  /**
   * After a product write here: this instance's caches first (so the change is visible here as soon as it is
   * acknowledged), then the shared entry, then the other instances.
   */
  Future<Void> productWritten(String sku, ProductEntry entry) {
    reads.written(sku, entry);
    return onOwner(() -> {
      listing.apply(sku, entry.exists() ? entry : null);
      return Future.<Void>succeededFuture();
    }).compose(applied -> {
      vertx.eventBus().publish(CatalogClient.CHANGED, new JsonObject().put("kind", "product").put("sku", sku));
      return shared.replace(sku, entry.product())
          .compose(done -> shared.publish(new Invalidation(Invalidation.Kind.PRODUCT, sku, origin)))
          .recover(err -> announceFailed(sku, err));
    });
  }

  /**
   * After a batch of product writes here (a feed batch; null entries or {@link ProductEntry#MISSING}: deleted), as
   * {@link #productWritten} does for one, but with one rebuild of the listing, the shared entries replaced a few at
   * a time, and one invalidation message for the whole batch.
   */
  Future<Void> productsWritten(Map<String, ProductEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    entries.forEach(reads::written);
    return onOwner(() -> {
      Map<String, ProductEntry> listed = new HashMap<>(entries.size() * 2);
      entries.forEach((sku, entry) -> listed.put(sku, entry.exists() ? entry : null));
      listing.applyAll(listed);
      return Future.<Void>succeededFuture();
    }).compose(applied -> {
      entries.keySet().forEach(sku -> vertx.eventBus().publish(CatalogClient.CHANGED,
          new JsonObject().put("kind", "product").put("sku", sku)));
      List<String> skus = List.copyOf(entries.keySet());
      return Lanes.each(skus, SHARED_WRITES_IN_FLIGHT, sku -> shared.replace(sku, entries.get(sku).product()))
          .compose(done -> shared.publish(Invalidation.products(skus, origin)))
          .recover(err -> announceFailed(skus.size() + " products", err));
    });
  }

  /** After a sale write here: this instance's sale index, then the other instances. */
  Future<Void> saleWritten(Sale sale) {
    return onOwner(() -> {
      saleIndex.entries().apply(sale.id(), SaleEntry.of(sale));
      return Future.<Void>succeededFuture();
    }).compose(applied -> {
      vertx.eventBus().publish(CatalogClient.CHANGED,
          new JsonObject().put("kind", "sale").put("id", sale.id()).put("sku", sale.sku()));
      return shared.publish(new Invalidation(Invalidation.Kind.SALE, sale.id(), origin))
          .recover(err -> announceFailed(sale.id(), err));
    });
  }

  /** Creates a sale unless one has its id (demo seeding); completes with whether it was created. */
  Future<Boolean> putSaleIfAbsent(Sale sale) {
    return sales.putIfAbsent(sale).compose(created -> onOwner(() -> {
      if (created) {
        saleIndex.entries().apply(sale.id(), SaleEntry.of(sale));
      }
      return Future.succeededFuture(created);
    }));
  }

  /** The write is stored and visible here; only the other instances may not know yet. Repeating the write is safe. */
  private static Future<Void> announceFailed(String key, Throwable err) {
    log.warn("catalog.announce.failed key={} error={}", key, err.toString());
    return Future.failedFuture(new Unavailable(
        "the change is stored but other instances could not be told yet; repeat the request"));
  }

  /** Applies another instance's change (this instance's own changes are applied when made). */
  Future<Void> apply(Invalidation invalidation) {
    if (origin.equals(invalidation.origin())) {
      return Future.succeededFuture();
    }
    return onOwner(() -> switch (invalidation.kind()) {
      case PRODUCT -> {
        String sku = invalidation.key();
        reads.forget(sku);
        vertx.eventBus().publish(CatalogClient.CHANGED, new JsonObject().put("kind", "product").put("sku", sku));
        yield reads.entry(sku).map(entry -> {
          listing.apply(sku, entry.exists() ? entry : null);
          return null;
        });
      }
      case PRODUCTS -> {
        List<String> skus = invalidation.skus();
        Map<String, ProductEntry> loaded = new HashMap<>(skus.size() * 2);
        skus.forEach(sku -> {
          reads.forget(sku);
          vertx.eventBus().publish(CatalogClient.CHANGED, new JsonObject().put("kind", "product").put("sku", sku));
        });
        yield Lanes.each(skus, SHARED_WRITES_IN_FLIGHT, sku -> reads.entry(sku)
                .onSuccess(entry -> loaded.put(sku, entry.exists() ? entry : null)))
            .map(done -> {
              listing.applyAll(loaded);
              return null;
            });
      }
      case SALE -> sales.find(invalidation.key()).map(found -> {
        saleIndex.entries().apply(invalidation.key(), found.map(SaleEntry::of).orElse(null));
        found.ifPresent(sale -> vertx.eventBus().publish(CatalogClient.CHANGED,
            new JsonObject().put("kind", "sale").put("id", sale.id()).put("sku", sale.sku())));
        return null;
      });
      case ALL -> {
        reads.dropLocal();
        yield reload();
      }
    });
  }

  /** Tells every instance to drop and reload everything (after bulk writes such as demo seeding). */
  Future<Void> announceReloadAll() {
    return shared.publish(new Invalidation(Invalidation.Kind.ALL, "*", origin));
  }

  /**
   * Reloads the listing snapshot and the sales from the stores. Asked for while a reload runs, it runs once more
   * after that one (callers meanwhile share that run), so a caller's future completes only after a reload that
   * started after it asked.
   */
  Future<Void> reload() {
    return onOwner(() -> reloads.runFresh(this::reloadOnce));
  }

  private Future<Void> reloadOnce() {
    long productMark = listing.beginReload();
    long saleMark = saleIndex.entries().beginReload();
    Instant now = clock.instant();
    return Future.all(store.all(), sales.notEndedAt(now)).<Void>map(result -> {
      List<Product> allProducts = result.resultAt(0);
      List<Sale> allSales = result.resultAt(1);
      Map<String, ProductEntry> loaded = new HashMap<>(allProducts.size() * 2);
      for (Product product : allProducts) {
        ProductEntry current = listing.get(product.sku());
        // unchanged products keep their serialized document: a periodic reload re-serializes only what changed
        loaded.put(product.sku(), current != null && current.product().revision().equals(product.revision())
            ? current : ProductEntry.of(product));
      }
      listing.completeReload(productMark, loaded);
      saleIndex.entries().completeReload(saleMark, allSales.stream()
          .collect(Collectors.toMap(Sale::id, SaleEntry::of, (a, b) -> b)));
      log.debug("catalog.reloaded products={} sales={}", loaded.size(), allSales.size());
      return null;
    }).onFailure(err -> log.warn("catalog.reload.failed error={}", err.toString()));
  }

  /**
   * Runs {@code change} on the owner's context and completes on the caller's. A change asked for before the owner
   * started fails with Unavailable (start-up deploys the owner first).
   */
  private <T> Future<T> onOwner(Supplier<Future<T>> change) {
    Context caller = vertx.getOrCreateContext();
    Context target = owner;
    if (target == null) {
      return Future.failedFuture(new Unavailable("the catalog is starting; retry shortly"));
    }
    if (target == caller) {
      return change.get();
    }
    CompletableFuture<T> done = new CompletableFuture<>();
    target.runOnContext(nothing -> {
      Future<T> result;
      try {
        result = change.get();
      } catch (RuntimeException err) {
        result = Future.failedFuture(err);
      }
      result.onComplete(outcome -> {
        if (outcome.succeeded()) {
          done.complete(outcome.result());
        } else {
          done.completeExceptionally(outcome.cause());
        }
      });
    });
    return Future.fromCompletionStage(done, caller);
  }
}
