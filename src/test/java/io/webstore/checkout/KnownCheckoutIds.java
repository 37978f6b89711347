package io.webstore.checkout;

/**
 * The ids a checkout derives from its customer and {@code Idempotency-Key} ({@link CheckoutIds}, package-private),
 * for tests in other packages that must recognise its writes at the SDK.
 */
public record KnownCheckoutIds(String recordId, String holdId, String orderId, String paymentKey) {

  public static KnownCheckoutIds of(String customerId, String idempotencyKey) {
    CheckoutIds ids = CheckoutIds.of(customerId, idempotencyKey);
    return new KnownCheckoutIds(ids.recordId(), ids.holdId(), ids.orderId(), ids.paymentKey());
  }
}
