package io.webstore.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ids of one run of a checkout, all derived from the customer, their {@code Idempotency-Key} and the run number,
 * so that every step can be redone (by a retry, a replay or the recovery) and lands on the same hold, payment and
 * order. A key runs once, unless its run was rolled back because a dependency gave no answer ({@link
 * CheckoutStep#RETRYABLE}): then a retry with the same key starts the next run, whose hold, payment key, order and
 * claims are new (the earlier run's are released, voided or burnt and must never be reused). Run 0 keeps the ids a key
 * always had.
 *
 * @param recordId the idempotency record: {@code <customer id>#<key>} (keys cannot contain {@code #}), one per key
 * @param run which run of the key these ids belong to (0 for the first)
 * @param holdId the stock hold, {@code chk-<hash>}
 * @param orderId the order, {@code ord_<hash>}
 * @param paymentKey the run's one charge, {@code pay_<hash>}
 */
record CheckoutIds(String recordId, int run, String holdId, String orderId, String paymentKey) {

  public static CheckoutIds of(String customerId, String idempotencyKey) {
    return forRun(customerId + "#" + idempotencyKey, 0);
  }

  /** The ids of run {@code run} of the record {@code recordId}. */
  static CheckoutIds forRun(String recordId, int run) {
    String hash = sha256(run == 0 ? recordId : recordId + "#run-" + run).substring(0, 32);
    return new CheckoutIds(recordId, run, "chk-" + hash, "ord_" + hash, "pay_" + hash);
  }

  /** The ids of the run after this one. */
  CheckoutIds next() {
    return forRun(recordId, run + 1);
  }

  /**
   * The claim id of this run on the cart and the sale allowance, and the order's checkout id: the record id for run 0,
   * {@code <record id>#<run>} after it (a released allowance claim can never be taken again under its id).
   */
  String claimId() {
    return run == 0 ? recordId : recordId + "#" + run;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
