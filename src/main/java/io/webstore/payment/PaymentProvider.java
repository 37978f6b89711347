package io.webstore.payment;

import io.vertx.core.Future;
import io.webstore.platform.money.Amount;

/**
 * The payment provider, by role: the third party that holds the money. Every operation carries an idempotency key
 * derived from the payment key and the operation ({@code <key>}, {@code <key>:capture}, {@code <key>:void}, {@code
 * <key>:refund:<n>}); the provider answers a repeated key with its first outcome, so a retry never charges (or
 * refunds) twice. Failures are {@link ProviderFailure}s (retryable or not); a refusal of a charge is a {@link
 * ProviderDecision}, not a failure. Adapters: {@link SandboxProvider} (dev, tests), {@link HttpPaymentProvider}.
 */
interface PaymentProvider {

  /** Authorizes {@code amount} on {@code token} under {@code key}: approved (with a reference) or declined. */
  Future<ProviderDecision> authorize(String key, Amount amount, String token);

  /** Captures {@code amount} of the authorization {@code reference}. */
  Future<Void> capture(String operationKey, String reference, Amount amount);

  /** Voids whatever authorization {@code key} may have at the provider (also one whose answer never came). */
  Future<Void> voidAuthorization(String operationKey, String key);

  /** Refunds {@code amount} of the captured charge {@code reference}. */
  Future<Void> refund(String operationKey, String reference, Amount amount);
}
