package io.webstore.cart;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.catalog.CatalogClient;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Carts for customers and guests, priced by the catalog: the {@code carts} and {@code sessions} tables, {@link
 * CartVerticle} (needs the catalog and inventory addresses at run time) and the cart operations of openapi.yaml.
 */
public final class CartFeature implements Feature {

  /**
   * Guest sessions the cart's HTTP handlers were told about, shared by every HTTP verticle of this store (each mounts
   * its own handlers): bounded by {@code cart.cacheMaxEntries}, each kept {@link CartService#SESSION_CACHE_TTL} at
   * most, and honoured only until it expires.
   */
  private final AtomicReference<Cache<String, GuestSession>> knownSessions = new AtomicReference<>();

  /** Sold-out SKUs, shared by every HTTP verticle of this store (none: {@code cart.soldOutMemoryMs} 0). */
  private final AtomicReference<SoldOutMemory> soldOut = new AtomicReference<>();

  @Override
  public String name() {
    return "cart";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(DynamoCartStore.TABLE, DynamoSessionStore.TABLE);
  }

  /** The carts the cart verticle keeps, which the HTTP verticles read too ({@link KeptCarts}). */
  private Cache<String, Cart> keptCarts;

  @Override
  public Future<?> deploy(Services services) {
    CartSettings settings = CartSettings.from(services.config());
    keptCarts = CartService.keptCarts(settings);
    return services.vertx().deployVerticle(new CartVerticle(services, settings, Clock.systemUTC(), keptCarts));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    CartSettings settings = CartSettings.from(services.config());
    CatalogClient catalog = new CatalogClient(services.vertx(), settings.callTimeout());
    // the stock check waits for the ledger as long as the handlers wait for the cart verticle that made it before
    StockCheck stock = new StockCheck(services.vertx(), catalog,
        new InventoryClient(services.vertx(), settings.callTimeout().multipliedBy(3)), soldOut(settings, services));
    KeptCarts kept = keptCarts == null ? null
        : new KeptCarts(keptCarts, new CatalogLink(catalog), settings.defaultCurrency());
    new CartRoutes(new CartClient(services.vertx(), settings.callTimeout().multipliedBy(3), stock, kept),
        new OptionalBearer(services.authKeys().tokens()), settings, Clock.systemUTC(), knownSessions(settings))
        .mount(builder);
  }

  private SoldOutMemory soldOut(CartSettings settings, Services services) {
    if (settings.soldOutMemory().isZero()) {
      return null;
    }
    // as the sessions below: HTTP verticles may mount at once, and all use the first memory set
    if (soldOut.get() == null) {
      soldOut.compareAndSet(null, new SoldOutMemory(settings.soldOutMemory(), services.meters()));
    }
    return soldOut.get();
  }

  private Cache<String, GuestSession> knownSessions(CartSettings settings) {
    // HTTP verticles mount on their own event loops, possibly at once: the first cache set is the one all use
    if (knownSessions.get() == null) {
      knownSessions.compareAndSet(null, Caffeine.newBuilder().expireAfterWrite(CartService.SESSION_CACHE_TTL)
          .maximumSize(settings.cacheMaxEntries()).build());
    }
    return knownSessions.get();
  }
}
