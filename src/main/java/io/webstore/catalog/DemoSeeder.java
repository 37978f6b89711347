package io.webstore.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.webstore.inventory.InventoryClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the demo data, idempotently: a keys-only Scan finds which demo products and stores exist, and only the
 * missing ones are written (BatchWriteItem, 25 a time, a few batches in flight); a restart therefore changes
 * nothing that exists, neither an admin's edits nor stock. Stock is set for new products before they are written,
 * so a seeding cut short is completed by the next start. The flash sale is a conditional put and keeps the window
 * of the first seeding.
 */
final class DemoSeeder {

  private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

  private final CatalogReloader reloader;
  private final Clock clock;
  private final ProductStore products;
  private final StoreLocations stores;
  private final SharedProductCache shared;
  private final InventoryClient inventory;
  private final boolean inventoryEnabled;
  private final int stockInFlight;
  private final Timer stockTime;
  private final Timer catalogTime;
  private final Counter productsCreated;

  DemoSeeder(CatalogReloader reloader, Clock clock, ProductStore products, StoreLocations stores,
      SharedProductCache shared, InventoryClient inventory, boolean inventoryEnabled, int stockInFlight, MeterRegistry meters) {
    this.reloader = reloader;
    this.clock = clock;
    this.products = products;
    this.stores = stores;
    this.shared = shared;
    this.inventory = inventory;
    this.inventoryEnabled = inventoryEnabled;
    this.stockInFlight = stockInFlight;
    // catalog: the existence scan and batch writes of products, sale and stores; stock: the inventory.set calls
    this.catalogTime = Timer.builder("webstore.catalog.demo.seed").tag("phase", "catalog").register(meters);
    this.stockTime = Timer.builder("webstore.catalog.demo.seed").tag("phase", "stock").register(meters);
    this.productsCreated = Counter.builder("webstore.catalog.demo.products.created").register(meters);
  }

  Future<Void> seed() {
    long started = System.nanoTime();
    Instant now = clock.instant();
    List<DemoCatalog.Item> demo = DemoCatalog.products(now);
    long[] stockNanos = new long[1];
    return products.skus().compose(existing -> {
      List<DemoCatalog.Item> missing = demo.stream().filter(item -> !existing.contains(item.product().sku())).toList();
      List<String> missingSkus = missing.stream().map(item -> item.product().sku()).toList();
      long stockStarted = System.nanoTime();
      return stock(missing)
          .onSuccess(done -> stockNanos[0] = System.nanoTime() - stockStarted)
          .compose(done -> products.putAll(missing.stream().map(DemoCatalog.Item::product).toList()))
          .onSuccess(done -> productsCreated.increment(missing.size()))
          .compose(done -> shared.forget(missingSkus)) // "no such product" markers a read may have left
          .compose(done -> reloader.putSaleIfAbsent(DemoCatalog.flashSale(flashProduct(demo), now)))
          .compose(saleCreated -> seedStores().map(storesCreated -> {
            long totalNanos = System.nanoTime() - started;
            stockTime.record(stockNanos[0], TimeUnit.NANOSECONDS);
            catalogTime.record(totalNanos - stockNanos[0], TimeUnit.NANOSECONDS);
            log.info("catalog.demo.seeded products_created={} products_kept={} stores_created={} sale_created={} "
                    + "catalog_ms={} stock_ms={}", missing.size(), demo.size() - missing.size(), storesCreated,
                saleCreated, (totalNanos - stockNanos[0]) / 1_000_000, stockNanos[0] / 1_000_000);
            return null;
          }));
    }).compose(done -> reloader.reload()).compose(done -> reloader.announceReloadAll());
  }

  private static Product flashProduct(List<DemoCatalog.Item> demo) {
    return demo.stream().map(DemoCatalog.Item::product)
        .filter(product -> product.sku().equals(DemoCatalog.FLASH_SKU)).findFirst().orElseThrow();
  }

  private Future<Void> stock(List<DemoCatalog.Item> missing) {
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!inventoryEnabled) {
      log.warn("catalog.demo.stock_skipped reason=inventory_disabled products={}", missing.size());
      return Future.succeededFuture();
    }
    return inLanes(missing, stockInFlight,
        item -> inventory.set(item.product().sku(), item.stock()).mapEmpty());
  }

  private Future<Integer> seedStores() {
    List<StoreLocation> demo = DemoCatalog.stores();
    return stores.ids().compose((Set<String> existing) -> {
      List<StoreLocation> missing = demo.stream().filter(store -> !existing.contains(store.id())).toList();
      return stores.putAll(missing).map(missing.size());
    });
  }

  /** Runs {@code work} over {@code items}, at most {@code lanes} at a time. */
  private static <T> Future<Void> inLanes(List<T> items, int lanes, Function<T, Future<Void>> work) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> running = new ArrayList<>();
    for (int lane = 0; lane < Math.min(lanes, items.size()); lane++) {
      running.add(drain(items, next, work));
    }
    return Future.all(running).mapEmpty();
  }

  private static <T> Future<Void> drain(List<T> items, AtomicInteger next, Function<T, Future<Void>> work) {
    int index = next.getAndIncrement();
    if (index >= items.size()) {
      return Future.succeededFuture();
    }
    return work.apply(items.get(index)).compose(done -> drain(items, next, work));
  }
}
