package io.webstore.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ids of one checkout, all derived from the customer and their {@code Idempotency-Key}, so that every step can be
 * redone (by a retry, a replay or the recovery) and lands on the same hold, payment and order.
 *
 * @param recordId the idempotency record: {@code <customer id>#<key>} (keys cannot contain {@code #})
 * @param holdId the stock hold, {@code chk-<hash>}
 * @param orderId the order, {@code ord_<hash>}
 * @param paymentKey the one charge, {@code pay_<hash>}
 */
record CheckoutIds(String recordId, String holdId, String orderId, String paymentKey) {

  public static CheckoutIds of(String customerId, String idempotencyKey) {
    String recordId = customerId + "#" + idempotencyKey;
    String hash = sha256(recordId).substring(0, 32);
    return new CheckoutIds(recordId, "chk-" + hash, "ord_" + hash, "pay_" + hash);
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
