package io.webstore.checkout;

import io.webstore.orders.ShippingAddress;
import java.util.Optional;

/**
 * One {@code POST /api/v1/checkout}: who, under which key, the hash of the exact request body (a key reused with
 * another body is refused), where to ship and the payment token (never stored or logged); and what the fraud screening
 * looks at besides: the client's address, the device id it sent ({@code X-Device-Id}) and the billing country (neither
 * address nor device is part of the hash: a retry from another network is the same request).
 */
record CheckoutRequest(String customerId, String idempotencyKey, String requestHash, ShippingAddress address,
    String paymentToken, String clientIp, Optional<String> deviceId, Optional<String> billingCountry) {

  @Override
  public String toString() { // the token and the address stay out of logs
    return "CheckoutRequest[customer=" + customerId + ", key=" + idempotencyKey + "]";
  }
}
