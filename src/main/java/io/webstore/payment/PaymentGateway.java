package io.webstore.payment;

import io.webstore.platform.money.Amount;
import io.vertx.core.Future;
import java.util.Map;

/**
 * The payment provider, by role. One idempotency key carries at most one charge, ever: repeating {@link #authorize}
 * with a key returns that key's first outcome, and a key that was voided can never be authorized afterwards (a void
 * that arrives first fences a late authorization out). Adapters: {@link SandboxPaymentGateway} now; a real provider
 * in a later issue.
 */
interface PaymentGateway {

  /**
   * Authorizes {@code amount} on {@code token} under {@code idempotencyKey}. Fails {@code PaymentDeclined} when the
   * provider refuses (also on a repeat of a declined key), {@code Conflict} when the key was voided or used with another
   * amount. {@code metadata} (customer and order ids) is kept with the charge for reconciliation; never card data.
   */
  Future<Authorization> authorize(String idempotencyKey, Amount amount, String token, Map<String, String> metadata);

  /**
   * Voids the authorization of {@code idempotencyKey}, if any, and makes the key unusable for a later authorization.
   * Idempotent; a declined key stays declined.
   */
  Future<Authorization.Status> voidAuthorization(String idempotencyKey);
}
