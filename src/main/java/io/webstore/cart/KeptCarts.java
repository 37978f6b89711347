package io.webstore.cart;

import com.github.benmanes.caffeine.cache.Cache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A read of a cart that the cart verticle keeps ({@code cart.cacheTtlMs}), answered on the reader's event loop (an
 * HTTP verticle's) instead of through {@code cart.get}: the kept copy is what {@code cart.get} would answer, priced by
 * the catalog's quotes ({@link CatalogLink}, from the process's catalog where it runs here). Only the cart verticle
 * writes the kept copies, each after its write is stored and before it answers, so a read after a change's answer
 * sees that change, as through the address; a cart not kept is read through {@code cart.get}.
 */
final class KeptCarts {

  private final Cache<String, Cart> carts;
  private final CatalogLink catalog;
  private final String defaultCurrency;

  KeptCarts(Cache<String, Cart> carts, CatalogLink catalog, String defaultCurrency) {
    this.carts = carts;
    this.catalog = catalog;
    this.defaultCurrency = defaultCurrency;
  }

  /** The owner's cart as {@code cart.get} answers it ({@link CartJson#toJson}), when it is kept; else empty. */
  Optional<Future<JsonObject>> read(String owner) {
    Cart kept = carts.getIfPresent(owner);
    if (kept == null) {
      return Optional.empty();
    }
    return Optional.of(catalog.quotes(kept.skus())
        .map(quotes -> CartJson.toJson(kept.priced(quotes, defaultCurrency))));
  }
}
