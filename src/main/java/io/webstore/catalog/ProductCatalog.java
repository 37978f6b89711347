package io.webstore.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.catalog.SharedProductCache.Invalidation;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import io.webstore.platform.money.AmountJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog of one process, shared by its catalog verticles (every structure here is thread-safe).
 *
 * <p>Product reads go Caffeine (in process) → {@link SharedProductCache} (Redis) → {@link ProductStore} (DynamoDB);
 * concurrent misses of one SKU share one load. Availability comes from inventory, cached at most {@code
 * availableTtl} (≤ 1 s) and dropped when inventory reports a change here. Listing, categories and search are served
 * from an in-process snapshot of every product, and active sales from one of every sale that has not ended; both are
 * reloaded periodically and kept current by every change. An admin change updates this instance's caches before it
 * is acknowledged, then replaces the shared entry and publishes an invalidation that the other instances apply.
 */
final class ProductCatalog {

  /** Published on the local event bus after a change: {@code {"kind": "product"|"sale", "sku", "id"?}}. */
  static final String CHANGED_EVENT = "events.catalog.changed";

  private static final Logger log = LoggerFactory.getLogger(ProductCatalog.class);
  private static final Comparator<SaleEntry> BEST_SALE = Comparator
      .comparing((SaleEntry entry) -> entry.sale().price().value())
      .thenComparing(entry -> entry.sale().endsAt())
      .thenComparing(entry -> entry.sale().id());

  private final Vertx vertx;
  private final ProductStore store;
  private final SaleStore sales;
  private final StoreLocations locations;
  private final SharedProductCache shared;
  private final InventoryLink inventory;
  private final Clock clock;
  /** Marks this process's invalidations, which it has applied already when Redis delivers them back. */
  private final String origin = UUID.randomUUID().toString();

  private final AsyncCache<String, ProductEntry> products;
  private final AsyncCache<String, Integer> available;
  private final AsyncCache<String, JsonObject> storeList;
  private final LiveIndex<ProductEntry, Listing> listing = new LiveIndex<>(Listing::of);
  /** Sales that have not ended (running or scheduled), by SKU; whether one runs is decided per read. */
  private final LiveIndex<SaleEntry, Map<String, List<SaleEntry>>> upcoming = new LiveIndex<>(ProductCatalog::bySku);
  private final Counter storeLoads;
  private final Counter sharedLoads;
  private final Counter inventoryFailures;

  private boolean reloadRunning; // guarded by this
  private Promise<Void> reloadQueued; // guarded by this: the run after the current one

  ProductCatalog(Vertx vertx, ProductStore store, SaleStore sales, StoreLocations locations,
      SharedProductCache shared, InventoryLink inventory, CatalogSettings settings, Clock clock,
      MeterRegistry meters) {
    this.vertx = vertx;
    this.store = store;
    this.sales = sales;
    this.locations = locations;
    this.shared = shared;
    this.inventory = inventory;
    this.clock = clock;
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

  // ---- reads

  /** A product's document with availability and running sale; fails with NotFound. */
  Future<ProductDocument> document(String sku) {
    Future<ProductEntry> entry = entry(sku);
    Future<Integer> units = availability(sku); // in parallel with the product: both are usually cached
    return Future.join(entry, units).transform(both -> {
      if (entry.succeeded() && !entry.result().exists()) {
        return Future.failedFuture(new NotFound("product", sku)); // whatever inventory said
      }
      if (both.failed()) {
        return Future.failedFuture(entry.failed() ? entry.cause() : units.cause());
      }
      return Future.succeededFuture(render(entry.result(), units.result(), clock.instant()));
    });
  }

  /** One page of the listing, filtered by category and search text, as the page document. */
  Future<Buffer> page(String category, String query, int page, int size) {
    Listing view = listing.view();
    List<ProductEntry> pool = category == null ? view.sorted() : view.byCategory().getOrDefault(category, List.of());
    List<ProductEntry> matches = pool;
    if (query != null && !query.isBlank()) {
      String needle = query.trim().toLowerCase(Locale.ROOT);
      matches = pool.stream().filter(entry -> entry.searchText().contains(needle)).toList();
    }
    int total = matches.size();
    int from = (int) Math.min(total, (long) (page - 1) * size);
    List<ProductEntry> slice = matches.subList(from, Math.min(total, from + size));
    int totalPages = (total + size - 1) / size;
    return availability(slice.stream().map(entry -> entry.product().sku()).toList()).map(units -> {
      Instant now = clock.instant();
      Buffer out = Buffer.buffer(512 * slice.size() + 96).appendString("{\"items\":[");
      for (int i = 0; i < slice.size(); i++) {
        ProductEntry entry = slice.get(i);
        if (i > 0) {
          out.appendString(",");
        }
        out.appendBuffer(render(entry, units.getOrDefault(entry.product().sku(), 0), now).body());
      }
      return out.appendString("],\"page\":" + page + ",\"size\":" + size + ",\"total\":" + total
          + ",\"total_pages\":" + totalPages + "}");
    });
  }

  /** Categories with their product counts. */
  JsonObject categories() {
    return listing.view().categories();
  }

  /**
   * What the cart and checkout charge: per existing SKU its name, unit price (the running sale's price, or the list
   * price), list price and the running sale's terms (or null). Unknown SKUs are left out.
   */
  Future<JsonObject> prices(List<String> skus) {
    // a string that cannot be a SKU names no product: absent, like any unknown SKU
    List<String> distinct = skus.stream().filter(sku -> CatalogRequests.KEY.matcher(sku).matches()).distinct()
        .toList();
    List<Future<ProductEntry>> entries = distinct.stream().map(this::entry).toList();
    return Future.all(entries).map(all -> {
      Instant now = clock.instant();
      JsonObject items = new JsonObject();
      for (Future<ProductEntry> future : entries) {
        ProductEntry entry = future.result();
        if (!entry.exists()) {
          continue;
        }
        Product product = entry.product();
        SaleEntry sale = runningSale(product, now);
        items.put(product.sku(), new JsonObject()
            .put("name", product.name())
            .put("unit_price", AmountJson.toJson(sale == null ? product.price() : sale.sale().price()))
            .put("list_price", AmountJson.toJson(product.price()))
            .put("sale", sale == null ? null : new JsonObject()
                .put("id", sale.sale().id())
                .put("per_customer_limit", sale.sale().perCustomerLimit())
                .put("ends_at", sale.sale().endsAt().toString())));
      }
      return new JsonObject().put("items", items);
    });
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

  private Future<ProductEntry> entry(String sku) {
    return fromCompletable(products.get(sku, (key, executor) -> load(key).toCompletionStage().toCompletableFuture()));
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

  private Future<Integer> availability(String sku) {
    return fromCompletable(available.get(sku, (key, executor) -> inventory.availability(List.of(key))
            .map(units -> units.getOrDefault(key, 0))
            .otherwise(this::inventoryFailed)
            .toCompletionStage().toCompletableFuture()))
        .compose(units -> units == null ? Future.failedFuture(availabilityUnknown()) : Future.succeededFuture(units));
  }

  private Future<Map<String, Integer>> availability(List<String> skus) {
    if (skus.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return fromCompletable(available.getAll(skus, (missing, executor) -> inventory.availability(missing)
            .otherwise(err -> {
              inventoryFailed(err);
              return Map.of();
            })
            .toCompletionStage().toCompletableFuture()))
        .compose(units -> units.size() < skus.size()
            ? Future.failedFuture(availabilityUnknown())
            : Future.succeededFuture(units));
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

  private ProductDocument render(ProductEntry entry, int units, Instant now) {
    SaleEntry sale = runningSale(entry.product(), now);
    Buffer body = Buffer.buffer(entry.openDocument().length() + (sale == null ? 40 : sale.member().length() + 40))
        .appendBuffer(entry.openDocument())
        .appendString(",\"available\":")
        .appendString(Integer.toString(units))
        .appendString(",\"sale\":");
    if (sale == null) {
      body.appendString("null");
    } else {
      body.appendBuffer(sale.member());
    }
    body.appendString("}");
    String etag = "\"" + entry.product().revision() + "-" + units + "-"
        + (sale == null ? "0" : sale.sale().revision()) + "\"";
    return new ProductDocument(body, etag);
  }

  private SaleEntry runningSale(Product product, Instant now) {
    List<SaleEntry> candidates = upcoming.view().get(product.sku());
    if (candidates == null) {
      return null;
    }
    SaleEntry best = null;
    for (SaleEntry candidate : candidates) {
      if (candidate.sale().activeAt(now) && candidate.sale().undercuts(product.price())
          && (best == null || BEST_SALE.compare(candidate, best) < 0)) {
        best = candidate;
      }
    }
    return best;
  }

  // ---- writes

  /** Creates or replaces a product; completes with true when it was created. */
  Future<Boolean> put(Product product) {
    return store.put(product).compose(created -> changed(product.sku(), ProductEntry.of(product)).map(created));
  }

  /** Deletes a product; fails with NotFound when there is none. */
  Future<Void> delete(String sku) {
    return store.delete(sku).compose(done -> changed(sku, ProductEntry.MISSING));
  }

  /**
   * Creates or replaces a sale, after checking it against the product as it is now: the product exists, the sale is
   * in its currency and cheaper than its list price, starts before it ends, and has not ended.
   */
  Future<Sale> putSale(Sale sale) {
    return entry(sale.sku()).compose(entry -> {
      if (!entry.exists()) {
        throw Validation.of("/sku", "no product has SKU " + sale.sku());
      }
      Amount list = entry.product().price();
      if (!sale.price().currency().equals(list.currency())) {
        throw Validation.of("/price/currency", "the sale must be in the product's currency " + list.currency());
      }
      if (sale.price().compareTo(list) >= 0) {
        throw Validation.of("/price/amount", "the sale price must be lower than the list price " + list.text());
      }
      if (!sale.startsAt().isBefore(sale.endsAt())) {
        throw Validation.of("/ends_at", "ends_at must be after starts_at");
      }
      if (!sale.endsAfter(clock.instant())) {
        throw Validation.of("/ends_at", "ends_at must be in the future");
      }
      return sales.put(sale);
    }).compose(done -> {
      upcoming.apply(sale.id(), SaleEntry.of(sale));
      vertx.eventBus().publish(CHANGED_EVENT,
          new JsonObject().put("kind", "sale").put("id", sale.id()).put("sku", sale.sku()));
      return shared.publish(new Invalidation(Invalidation.Kind.SALE, sale.id(), origin))
          .recover(err -> announceFailed(sale.id(), err))
          .map(sale);
    });
  }

  /** Creates a sale unless one has its id (demo seeding); completes with whether it was created. */
  Future<Boolean> putSaleIfAbsent(Sale sale) {
    return sales.putIfAbsent(sale).onSuccess(created -> {
      if (created) {
        upcoming.apply(sale.id(), SaleEntry.of(sale));
      }
    });
  }

  Instant now() {
    return clock.instant();
  }

  /**
   * After a product write: this instance's caches first (so the change is visible here as soon as it is
   * acknowledged), then the shared entry, then the other instances.
   */
  private Future<Void> changed(String sku, ProductEntry entry) {
    products.put(sku, CompletableFuture.completedFuture(entry));
    available.synchronous().invalidate(sku);
    listing.apply(sku, entry.exists() ? entry : null);
    vertx.eventBus().publish(CHANGED_EVENT, new JsonObject().put("kind", "product").put("sku", sku));
    return shared.replace(sku, entry.product())
        .compose(done -> shared.publish(new Invalidation(Invalidation.Kind.PRODUCT, sku, origin)))
        .recover(err -> announceFailed(sku, err));
  }

  /** The write is stored and visible here; only the other instances may not know yet. Repeating the write is safe. */
  private static Future<Void> announceFailed(String key, Throwable err) {
    log.warn("catalog.announce.failed key={} error={}", key, err.toString());
    return Future.failedFuture(new Unavailable(
        "the change is stored but other instances could not be told yet; repeat the request"));
  }

  // ---- keeping in step

  /** Inventory reported a change of this SKU's availability on this instance. */
  void availabilityChanged(String sku) {
    available.synchronous().invalidate(sku);
  }

  /** Applies another instance's change (this instance's own changes are applied when made). */
  Future<Void> apply(Invalidation invalidation) {
    if (origin.equals(invalidation.origin())) {
      return Future.succeededFuture();
    }
    return switch (invalidation.kind()) {
      case PRODUCT -> {
        String sku = invalidation.key();
        products.synchronous().invalidate(sku);
        available.synchronous().invalidate(sku);
        vertx.eventBus().publish(CHANGED_EVENT, new JsonObject().put("kind", "product").put("sku", sku));
        yield entry(sku).map(entry -> {
          listing.apply(sku, entry.exists() ? entry : null);
          return null;
        });
      }
      case SALE -> sales.find(invalidation.key()).map(found -> {
        upcoming.apply(invalidation.key(), found.map(SaleEntry::of).orElse(null));
        found.ifPresent(sale -> vertx.eventBus().publish(CHANGED_EVENT,
            new JsonObject().put("kind", "sale").put("id", sale.id()).put("sku", sale.sku())));
        return null;
      });
      case ALL -> {
        dropLocal();
        yield reload();
      }
    };
  }

  /** Forgets everything kept in process (after invalidations may have been missed). */
  void dropLocal() {
    products.synchronous().invalidateAll();
    available.synchronous().invalidateAll();
    storeList.synchronous().invalidateAll();
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
    Promise<Void> run;
    synchronized (this) {
      if (reloadRunning) {
        if (reloadQueued == null) {
          reloadQueued = Promise.promise();
        }
        return reloadQueued.future();
      }
      reloadRunning = true;
      run = Promise.promise();
    }
    startReload(run);
    return run.future();
  }

  private void startReload(Promise<Void> run) {
    reloadOnce().onComplete(result -> {
      Promise<Void> next;
      synchronized (this) {
        next = reloadQueued;
        reloadQueued = null;
        reloadRunning = next != null;
      }
      run.handle(result);
      if (next != null) {
        startReload(next);
      }
    });
  }

  private Future<Void> reloadOnce() {
    long productMark = listing.beginReload();
    long saleMark = upcoming.beginReload();
    Instant now = clock.instant();
    Promise<Void> done = Promise.promise();
    Future.all(store.all(), sales.notEndedAt(now)).onComplete(result -> {
      if (result.failed()) {
        log.warn("catalog.reload.failed error={}", result.cause().toString());
        done.fail(result.cause());
        return;
      }
      List<Product> allProducts = result.result().resultAt(0);
      List<Sale> allSales = result.result().resultAt(1);
      Map<String, ProductEntry> loaded = new HashMap<>(allProducts.size() * 2);
      for (Product product : allProducts) {
        ProductEntry current = listing.get(product.sku());
        // unchanged products keep their serialized document: a periodic reload re-serializes only what changed
        loaded.put(product.sku(), current != null && current.product().revision().equals(product.revision())
            ? current : ProductEntry.of(product));
      }
      listing.completeReload(productMark, loaded);
      upcoming.completeReload(saleMark, allSales.stream()
          .collect(Collectors.toMap(Sale::id, SaleEntry::of, (a, b) -> b)));
      log.debug("catalog.reloaded products={} sales={}", loaded.size(), allSales.size());
      done.complete();
    });
    return done.future();
  }

  private static Map<String, List<SaleEntry>> bySku(Map<String, SaleEntry> all) {
    Map<String, List<SaleEntry>> bySku = new HashMap<>();
    all.values().forEach(entry -> bySku.computeIfAbsent(entry.sale().sku(), sku -> new ArrayList<>()).add(entry));
    bySku.replaceAll((sku, list) -> List.copyOf(list));
    return Map.copyOf(bySku);
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

  /** The listing snapshot's view: products in SKU order, by category, and the category summary. */
  record Listing(List<ProductEntry> sorted, Map<String, List<ProductEntry>> byCategory, JsonObject categories) {

    static Listing of(Map<String, ProductEntry> all) {
      List<ProductEntry> sorted = new ArrayList<>(all.values());
      sorted.sort(Comparator.comparing(entry -> entry.product().sku()));
      Map<String, List<ProductEntry>> byCategory = new TreeMap<>();
      sorted.forEach(entry -> byCategory.computeIfAbsent(entry.product().category(), c -> new ArrayList<>())
          .add(entry));
      JsonArray categories = new JsonArray();
      byCategory.forEach((id, members) -> categories.add(new JsonObject()
          .put("id", id)
          .put("name", displayName(id))
          .put("product_count", members.size())));
      byCategory.replaceAll((id, members) -> List.copyOf(members));
      return new Listing(List.copyOf(sorted), Map.copyOf(byCategory), new JsonObject().put("items", categories));
    }

    private static String displayName(String id) {
      return Arrays.stream(id.split("-"))
          .filter(word -> !word.isEmpty())
          .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
          .collect(Collectors.joining(" "));
    }
  }
}
