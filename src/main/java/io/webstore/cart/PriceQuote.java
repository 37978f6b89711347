package io.webstore.cart;

import io.webstore.platform.money.Amount;
import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog charges now for one SKU: its name, the unit price (already the sale price while a sale runs) and
 * the running sale's terms, if any. The cart never takes a price from anywhere else.
 */
public record PriceQuote(String sku, String name, Amount unitPrice, Optional<SaleTerms> sale) {

  /** A running sale: its id and how many units one customer may buy at its price. */
  public record SaleTerms(String id, int perCustomerLimit) {}

  public PriceQuote {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(sale, "sale");
  }

  public String currency() {
    return unitPrice.currency();
  }
}
