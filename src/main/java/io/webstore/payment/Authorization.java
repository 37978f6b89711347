package io.webstore.payment;

import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.Locale;

/**
 * The state of the one charge a payment key may ever carry.
 *
 * @param key the payment key (derived from the checkout's idempotency key)
 * @param status authorized, declined or voided
 * @param amount what was (or would have been) authorized
 * @param authorizationId the provider's reference of an authorization; empty for declines and voids without one
 * @param at when the status was set
 */
public record Authorization(String key, Status status, Amount amount, String authorizationId, Instant at) {

  /** The states of a payment key. A key moves only authorized → voided; declined and voided are final. */
  public enum Status {
    AUTHORIZED, DECLINED, VOIDED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWire(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }
}
