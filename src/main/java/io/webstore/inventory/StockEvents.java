package io.webstore.inventory;

import java.util.Collection;

/** Where availability changes are announced ({@code events.inventory.changed}, one event per SKU). */
@FunctionalInterface
interface StockEvents {
  void changed(String sku);

  default void changed(Collection<String> skus) {
    skus.forEach(this::changed);
  }
}
