package io.webstore.checkout;

import java.util.Locale;

/**
 * How far a checkout got, as its idempotency record says. {@code DONE}, {@code FAILED} and {@code RETRYABLE} are finished
 * and carry the stored response; the others are unfinished and owned by whoever holds the record's lease.
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
  FAILED,
  /**
   * Rolled back because a dependency gave no answer (the payment provider was silent or its circuit open), a 503
   * stored: the stored answer is replayed only while the key's next run cannot start; a retry with the key and the same
   * body starts that run under new ids ({@link CheckoutIds#next()}).
   */
  RETRYABLE;

  public boolean finished() {
    return this == DONE || this == FAILED || this == RETRYABLE;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CheckoutStep fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
