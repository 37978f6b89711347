package io.webstore.cart;

import java.util.Objects;

/** One SKU in a cart and how many units of it; prices are never stored, they are quoted when the cart is read. */
public record CartLine(String sku, int quantity) {

  public CartLine {
    Objects.requireNonNull(sku, "sku");
    if (quantity < 1) {
      throw new IllegalArgumentException("a cart line holds at least one unit");
    }
  }
}
