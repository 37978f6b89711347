package io.webstore.cart;

import io.webstore.platform.money.Amount;
import io.vertx.core.Future;
import io.webstore.catalog.CatalogClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The catalog's quotes ({@code catalog.price}, through its client) in the cart's terms. */
final class CatalogLink {

  private final CatalogClient catalog;

  CatalogLink(CatalogClient catalog) {
    this.catalog = catalog;
  }

  /** Quotes for the SKUs the catalog knows; the others are absent. */
  Future<Map<String, PriceQuote>> quotes(Collection<String> skus) {
    if (skus.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return catalog.prices(List.copyOf(skus)).map(quotes -> {
      Map<String, PriceQuote> converted = new HashMap<>();
      quotes.forEach((sku, quote) -> converted.put(sku, new PriceQuote(sku, quote.name(),
          new Amount(quote.unitPrice().amount(), quote.unitPrice().currency()),
          quote.sale().map(sale -> new PriceQuote.SaleTerms(sale.id(), sale.perCustomerLimit())))));
      return converted;
    });
  }
}
