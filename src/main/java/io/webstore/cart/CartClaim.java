package io.webstore.cart;

import java.util.Objects;

/**
 * A running checkout's hold on the cart.
 *
 * @param recordId the checkout's idempotency record
 * @param orderId the order it places
 * @param version the cart version it claimed (every cart a checkout priced at or below it is taken)
 */
public record CartClaim(String recordId, String orderId, long version) {
  public CartClaim {
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(orderId, "orderId");
  }
}
