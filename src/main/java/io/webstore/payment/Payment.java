package io.webstore.payment;

import io.webstore.platform.money.Amount;
import java.time.Instant;

/**
 * A payment record as the {@code payments} table keeps it: one item per payment key, moved through {@link
 * Authorization.Status} by single-item conditional writes. Never holds card data or the token.
 *
 * @param amount the authorized amount
 * @param captured what was captured (zero before the capture)
 * @param refunded the sum of the refunds so far
 * @param refunds how many refunds were made (the next refund's operation key is derived from it)
 * @param reference the provider's reference of the charge; empty until authorized
 * @param declineCode why the provider declined ({@link Declines}); empty otherwise
 * @param review whether the provider flagged the card as risky (the fraud tier's input)
 */
public record Payment(String key, Authorization.Status status, Amount amount, Amount captured, Amount refunded,
    int refunds, String reference, String declineCode, boolean review, Instant updatedAt) {

  /** What can still be refunded. */
  public Amount refundable() {
    return new Amount(captured.value().subtract(refunded.value()), captured.currency());
  }
}
