package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.catalog.CatalogClient;
import io.webstore.catalog.PriceQuote;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The catalog's quotes ({@code catalog.price}, through its client), as the cart asks for them. */
final class CatalogLink {

  private final CatalogClient catalog;

  CatalogLink(CatalogClient catalog) {
    this.catalog = catalog;
  }

  /** Quotes for the SKUs the catalog knows; the others are absent. An empty cart asks nothing. */
  Future<Map<String, PriceQuote>> quotes(Collection<String> skus) {
    if (skus.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return catalog.prices(List.copyOf(skus));
  }
}
