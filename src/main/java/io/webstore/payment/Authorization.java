package io.webstore.payment;

import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The state of the one charge a payment key may ever carry.
 *
 * @param key the payment key (derived from the checkout's idempotency key)
 * @param status where the charge is in its life ({@link Status})
 * @param amount what was (or would have been) authorized
 * @param authorizationId the provider's reference of an authorization; empty for declines and voids without one
 * @param at when the status was set
 * @param review whether the provider flagged the card as risky when it approved (never set without an approval)
 */
public record Authorization(String key, Status status, Amount amount, String authorizationId, Instant at,
    boolean review) {

  /**
   * The life of a payment key: {@code pending → authorized → captured → partially_refunded / refunded}, {@code
   * authorized → voided}; {@code pending → declined} or {@code error} when the provider refused or failed ({@code
   * error} may be tried again with the same key, the provider deduplicating it). {@link #next()} is the whole table;
   * any other move is refused as a conflict.
   */
  public enum Status {
    PENDING, AUTHORIZED, CAPTURED, PARTIALLY_REFUNDED, REFUNDED, VOIDED, DECLINED, ERROR;

    /** The statuses this one may move to. */
    public Set<Status> next() {
      return switch (this) {
        case PENDING, ERROR -> EnumSet.of(AUTHORIZED, DECLINED, ERROR, VOIDED);
        case AUTHORIZED -> EnumSet.of(CAPTURED, VOIDED);
        case CAPTURED, PARTIALLY_REFUNDED -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
        case REFUNDED, VOIDED, DECLINED -> EnumSet.noneOf(Status.class);
      };
    }

    public boolean canMoveTo(Status target) {
      return next().contains(target);
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWire(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }
}
