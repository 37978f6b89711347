package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.catalog.CatalogClient;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.error.NotFound;
import java.util.List;

/**
 * The stock check of an add, made by the caller of {@code cart.add} before it sends it: live stock first, and only
 * when it falls short the catalog's quote, which tells an unknown SKU (NotFound) from a sold-out one (OutOfStock). A
 * sold-out add is then answered without reaching the cart verticle (where the inventory and the catalog run in this
 * process, on the caller's event loop with one Redis call), and an add with stock hands the units it read to {@code
 * cart.add}, which judges the cart against them instead of reading the ledger again. The cart verticle still refuses
 * an add of a SKU the catalog does not price.
 */
final class StockCheck {

  private final CatalogClient catalog;
  private final InventoryClient inventory;

  StockCheck(CatalogClient catalog, InventoryClient inventory) {
    this.catalog = catalog;
    this.inventory = inventory;
  }

  /**
   * The units available of {@code sku} when there are at least {@code quantity}; else NotFound or OutOfStock (or
   * Validation for a SKU or quantity that {@code cart.add} refuses, with its words).
   */
  Future<Integer> available(String sku, int quantity) {
    try {
      CartVerticle.sku(sku);
      CartVerticle.quantity(quantity);
    } catch (RuntimeException invalid) {
      return Future.failedFuture(invalid);
    }
    return inventory.availability(List.of(sku)).compose(stock -> {
      int available = stock.getOrDefault(sku, 0);
      if (available >= quantity) {
        return Future.succeededFuture(available);
      }
      return catalog.prices(List.of(sku)).compose(quotes -> Future.failedFuture(quotes.containsKey(sku)
          ? CartService.outOfStock(sku, available)
          : new NotFound("product", sku)));
    });
  }
}
