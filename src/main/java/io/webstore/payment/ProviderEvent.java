package io.webstore.payment;

import io.webstore.platform.money.Amount;
import java.util.Optional;

/**
 * A verified event of the provider about one payment (the {@code data} of a webhook): {@code payment.authorized},
 * {@code payment.captured}, {@code payment.voided}, {@code payment.failed} or {@code payment.refunded}.
 *
 * @param id the provider's event id (deduplicated before the event is applied)
 * @param paymentKey the payment key the charge was made under ({@code data.payment_key})
 * @param reference the provider's reference of the charge ({@code data.reference}); empty when not sent
 * @param amount what was captured or refunded ({@code data.amount} and {@code data.currency}); empty: all of it
 * @param declineCode why an authorization failed ({@code data.decline_code}); empty when not sent
 * @param operationKey the {@code Idempotency-Key} of the request that caused the event, if this store sent it
 *     ({@code data.operation_key}, e.g. {@code <payment key>:refund:2})
 */
record ProviderEvent(String id, String type, String paymentKey, String reference, Optional<Amount> amount,
    String declineCode, Optional<String> operationKey) {

  static final String AUTHORIZED = "payment.authorized";
  static final String CAPTURED = "payment.captured";
  static final String VOIDED = "payment.voided";
  static final String FAILED = "payment.failed";
  static final String REFUNDED = "payment.refunded";

  /** What applying an event did to its payment record. */
  enum Outcome {
    /** The record moved. */
    APPLIED,
    /** The record had moved there already (our own request, or an earlier event, did it). */
    ALREADY_APPLIED,
    /** The state machine does not allow the move (or the amount does not fit): the record is left as it is. */
    ILLEGAL_TRANSITION,
    /** No payment has the key: ignored (the event is kept for reconciliation). */
    UNKNOWN_PAYMENT,
    /** A type this store does not act on: recorded only. */
    IGNORED_TYPE;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
