package io.webstore.checkout;

/** The caller no longer holds the lease of an idempotency record: someone else (the recovery) has taken it over. */
final class LeaseLost extends RuntimeException {
  LeaseLost(String recordId) {
    super("lease of checkout " + recordId + " was taken over", null, false, false);
  }
}
