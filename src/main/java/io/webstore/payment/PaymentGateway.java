package io.webstore.payment;

import io.vertx.core.Future;
import io.webstore.platform.money.Amount;
import java.util.Map;
import java.util.Optional;

/**
 * Payments by role: the records of the charges and the provider behind them. One idempotency key carries at most one
 * charge, ever: repeating {@link #authorize} with a key returns that key's first outcome, and a key that was voided
 * can never be authorized afterwards (a void that arrives first fences a late authorization out). Adapter: {@link
 * DynamoPaymentGateway} over a {@link PaymentProvider}.
 */
interface PaymentGateway {

  /**
   * Authorizes {@code amount} on {@code token} under {@code idempotencyKey}. Fails {@code PaymentDeclined} when the
   * provider refuses (also on a repeat of a declined key), {@code Conflict} when the key was voided or used with another
   * amount, {@code Unavailable} when the provider gave no answer (the key may be tried again). {@code metadata}
   * (customer and order ids) is kept with the charge for reconciliation; never card data.
   */
  Future<Authorization> authorize(String idempotencyKey, Amount amount, String token, Map<String, String> metadata);

  /**
   * Voids the authorization of {@code idempotencyKey}, if any, and makes the key unusable for a later authorization.
   * Idempotent; a declined key stays declined; a captured one is a {@code Conflict}.
   */
  Future<Authorization.Status> voidAuthorization(String idempotencyKey);

  /** Captures the authorized amount; idempotent. {@code Conflict} unless authorized (or captured already). */
  Future<Payment> capture(String idempotencyKey);

  /**
   * Refunds {@code amount} (all that is left when empty) of a captured payment, once per refund key: the same key
   * answers the same refund again ({@link Refund#replayed()}), a new key makes another refund if enough is left. Without
   * a key the refund is named by the number of refunds read, so two requests that read one state make one refund.
   * {@code Validation} above what is refundable, or for a key used before with another amount; {@code Conflict} when not
   * captured (or nothing is left), or when other refunds keep landing meanwhile.
   */
  Future<Refund> refund(String idempotencyKey, Optional<Amount> amount, Optional<String> refundKey);

  /** {@link #refund(String, Optional, Optional)} without a refund key. */
  default Future<Payment> refund(String idempotencyKey, Optional<Amount> amount) {
    return refund(idempotencyKey, amount, Optional.empty()).map(Refund::payment);
  }

  /** The payment record; {@code NotFound} when the key has none. */
  Future<Payment> find(String idempotencyKey);
}
