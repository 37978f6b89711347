package io.webstore.checkout;

import java.util.Locale;

/**
 * How far a checkout got, as its idempotency record says. {@code DONE} and {@code FAILED} are final and carry the
 * stored response; the others are unfinished and owned by whoever holds the record's lease.
 */
enum CheckoutStep {
  /** Claimed, priced and planned; nothing held yet. */
  PLANNED,
  /** Stock held. */
  HELD,
  /** Payment authorized. */
  AUTHORIZED,
  /** Order written. */
  ORDERED,
  /** Stock committed, response stored. */
  DONE,
  /** Rejected or rolled back, response stored. */
  FAILED;

  public boolean finished() {
    return this == DONE || this == FAILED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CheckoutStep fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
