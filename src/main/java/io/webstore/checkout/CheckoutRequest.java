package io.webstore.checkout;

import io.webstore.orders.ShippingAddress;

/**
 * One {@code POST /api/v1/checkout}: who, under which key, the hash of the exact request body (a key reused with
 * another body is refused), where to ship and the payment token (never stored or logged).
 */
record CheckoutRequest(String customerId, String idempotencyKey, String requestHash, ShippingAddress address,
    String paymentToken) {

  @Override
  public String toString() { // the token and the address stay out of logs
    return "CheckoutRequest[customer=" + customerId + ", key=" + idempotencyKey + "]";
  }
}
