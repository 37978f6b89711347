package io.webstore.checkout;

import java.util.Locale;

/**
 * Where a checkout stands, as its idempotency record says. {@code DONE}, {@code FAILED} and {@code RETRYABLE} are
 * finished and carry the stored response; the others are unfinished and owned by whoever holds the record's lease. A
 * running checkout stays {@code PLANNED} until its answer is stored: recovery undoes or completes it from the order
 * item whatever it did, so its progress is not written (that cost a write per step).
 */
enum CheckoutStep {
  /** Claimed, priced and planned; running (or dead) under the record's lease. */
  PLANNED,
  /** Stock held: no longer written; records from before may carry it. */
  HELD,
  /** Payment authorized: no longer written; records from before may carry it. */
  AUTHORIZED,
  /** Order written: no longer written; records from before may carry it. */
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
