package io.webstore.cart;

import io.webstore.platform.money.Amount;
import java.util.List;
import java.util.Optional;

/**
 * A cart as the customer sees it: each line priced by the catalog now, line totals and the subtotal computed here,
 * in one currency.
 *
 * @param id opaque id of the cart (not the owner)
 * @param items units over all lines
 */
public record PricedCart(String owner, String id, List<Line> lines, int items, Amount subtotal, long version) {

  public PricedCart {
    lines = List.copyOf(lines);
  }

  /** One priced line; {@code saleId} names the running sale whose price applies. */
  public record Line(String sku, String name, int quantity, Amount unitPrice, Amount lineTotal,
      Optional<String> saleId) {}
}
