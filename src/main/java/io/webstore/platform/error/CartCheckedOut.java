package io.webstore.platform.error;

import io.vertx.core.json.JsonObject;

/**
 * The cart was already turned into an order by another checkout (a double-click with a new Idempotency-Key); {@code
 * order_id} names that checkout's order (it exists once that checkout succeeded).
 */
public final class CartCheckedOut extends DomainException {
  public CartCheckedOut(String detail, String orderId) {
    super(Kind.CART_CHECKED_OUT, detail, orderId == null ? null : new JsonObject().put("order_id", orderId));
  }

  /** The order of the checkout that took the cart, if known. */
  public String orderId() {
    return extensions().getString("order_id");
  }
}
