package io.webstore.catalog;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.TransientAsUnavailable;
import java.time.Clock;
import java.util.List;

/**
 * The catalog: products, categories, search, flash sales, the physical stores, and the demo data. Tables {@code
 * products} (key {@code sku}), {@code sales} (key {@code id}), {@code stores} (key {@code id}).
 */
public final class CatalogFeature implements Feature {

  private static final String METRIC = "webstore.catalog.dynamo.calls";

  private CatalogReloader reloader;
  private DemoSeeder seeder;
  private ProductCatalog catalog;

  @Override
  public String name() {
    return "catalog";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(
        TableSpec.of("products", TableSpec.Key.string("sku")),
        TableSpec.of("sales", TableSpec.Key.string("id")),
        TableSpec.of("stores", TableSpec.Key.string("id")));
  }

  @Override
  public Future<?> deploy(Services services) {
    WebstoreConfig config = services.config();
    CatalogSettings settings = CatalogSettings.from(config);
    ProductStore products = new DynamoProductStore(table(services, "products", "sku"),
        settings.seedBatchesInFlight());
    SaleStore sales = new DynamoSaleStore(table(services, "sales", "id"));
    StoreLocations stores = new DynamoStoreLocations(table(services, "stores", "id"), settings.seedBatchesInFlight());
    // the table prefix namespaces the shared cache: stores on other tables (tests, other stages) never mix entries
    String namespace = config.dynamo().tablePrefix();
    SharedProductCache shared = new RedisProductCache(services.redisApi(), services.meters(), namespace,
        settings.redisTtl(), settings.redisMissingTtl(), config.redis().commandTimeout());
    InventoryClient inventory = new InventoryClient(services.vertx(), settings.requestTimeout());
    Clock clock = Clock.systemUTC();
    ProductReads reads = new ProductReads(services.vertx(), products, stores, shared, inventory, settings,
        services.meters());
    reloader = new CatalogReloader(services.vertx(), products, sales, shared, reads, clock);
    catalog = new ProductCatalog(products, sales, reads, reloader, clock);
    CatalogFeed feed = new CatalogFeed(products, reloader, services.vertx().eventBus(), clock,
        settings.feedWritesInFlight(), services.meters());
    seeder = new DemoSeeder(reloader, clock, products, stores, shared, inventory,
        config.features().enabled("inventory"), settings.seedStockInFlight(), services.meters());
    // the sync verticle owns the snapshots: it starts first, so that the first load runs on it
    return services.vertx().deployVerticle(new CatalogSyncVerticle(reloader, reads, config.redis(),
            RedisProductCache.channel(namespace), settings.snapshotRefresh(), config.redis().commandTimeout()))
        .compose(sync -> services.startup().retry("dynamodb", "catalog-load", reloader::reload)
            // quoted locally only once loaded, as the catalog verticles answer only once loaded
            .onSuccess(loaded -> ProductCatalog.IN_PROCESS.register(services.vertx(), catalog))
            .compose(loaded -> services.vertx().deployVerticle(
                () -> new CatalogVerticle(catalog, feed), new DeploymentOptions().setInstances(settings.instances())))
            .map(api -> List.of(api, sync)));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    // mounted by each HTTP verticle on its own context: its product reads stay on its event loop
    Vertx vertx = services.vertx();
    new CatalogRoutes(new CatalogClient(vertx, CatalogSettings.from(services.config()).requestTimeout(),
            catalog == null ? null : new SameLoopProducts(vertx, catalog)))
        .mount(builder);
  }

  @Override
  public Future<?> afterDeploy(Services services) {
    // seeding is idempotent (only what is missing is written), so a retry after a timeout finishes the job
    return services.config().demo().enabled()
        ? services.startup().retry("dynamodb", "demo-data", seeder::seed)
        : Future.succeededFuture();
  }

  /**
   * Every catalog write is safe to repeat as it was (sequenced feed writes, replacing puts, tag-then-delete), and so is
   * every read: an engine that does not answer is Unavailable, which the feed's sender and HTTP clients retry.
   */
  private static DynamoTable table(Services services, String name, String key) {
    return DynamoTable.of(services.vertx(), services.aws().dynamo(), services.meters(), METRIC,
            services.config().dynamo().table(name), key)
        .guardedBy(new TransientAsUnavailable("catalog store"));
  }
}
