package io.webstore.catalog;

import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog charges now for one SKU ({@link CatalogClient#prices}), as the cart and checkout take it: its name,
 * the unit price (the running sale's price while a sale runs, else the list price), the list price and the running
 * sale's terms, if any. Neither takes a price from anywhere else.
 */
public record PriceQuote(String sku, String name, Amount unitPrice, Amount listPrice, Optional<SaleTerms> sale) {

  /** The running flash sale behind a quote's unit price: how many units one customer may buy at it, and until when. */
  public record SaleTerms(String id, int perCustomerLimit, Instant endsAt) {}

  public PriceQuote {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(listPrice, "listPrice");
    Objects.requireNonNull(sale, "sale");
  }

  public String currency() {
    return unitPrice.currency();
  }
}
