package io.webstore.cart;

import io.webstore.platform.money.Amount;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cart as the customer sees it: each line priced by the catalog now, line totals and the subtotal computed here,
 * in one currency.
 *
 * @param id opaque id of the cart (not the owner)
 * @param items units over all lines
 * @param checkout the claim of a checkout running on the cart, if any
 */
public record PricedCart(String owner, String id, List<Line> lines, int items, Amount subtotal, long version,
    Optional<CartClaim> checkout) {

  public PricedCart {
    lines = List.copyOf(lines);
    Objects.requireNonNull(checkout, "checkout");
  }

  /** A cart no checkout is running on. */
  public PricedCart(String owner, String id, List<Line> lines, int items, Amount subtotal, long version) {
    this(owner, id, lines, items, subtotal, version, Optional.empty());
  }

  /** One priced line; {@code saleId} names the running sale whose price applies. */
  public record Line(String sku, String name, int quantity, Amount unitPrice, Amount lineTotal,
      Optional<String> saleId) {}
}
