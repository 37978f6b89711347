package io.webstore.orders;

import io.webstore.platform.money.Amount;
import java.util.Objects;
import java.util.Optional;

/**
 * One SKU of an order, priced by the catalog at checkout (server time).
 *
 * @param saleId the flash sale whose price applied, if any
 */
public record OrderLine(String sku, String name, int quantity, Amount unitPrice, Amount lineTotal,
    Optional<String> saleId) {

  public OrderLine {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(lineTotal, "lineTotal");
    Objects.requireNonNull(saleId, "saleId");
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity must be at least 1");
    }
  }

  public static OrderLine of(String sku, String name, int quantity, Amount unitPrice, Optional<String> saleId) {
    return new OrderLine(sku, name, quantity, unitPrice, unitPrice.times(quantity), saleId);
  }
}
