package io.webstore.payment;

import io.webstore.platform.money.Amount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One refund as the payment item keeps it, under an attribute named by its refund key ({@code refund_<hash of the
 * key>}): {@code <number>|<amount>|<currency>|<what was asked: "12.34 EUR" or "all">|pending|done}. It is written with
 * the refund's counting on the record (one conditional update), so a key reserves at most one refund; {@code pending}
 * until the provider confirmed it.
 */
record RefundEntry(int number, Amount amount, String asked, boolean done) {

  static String attribute(String refundKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(refundKey.getBytes(StandardCharsets.UTF_8));
      return "refund_" + HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  String text() {
    return number + "|" + amount.text() + "|" + amount.currency() + "|" + asked + "|" + (done ? "done" : "pending");
  }

  static RefundEntry parse(String text) {
    String[] parts = text.split("\\|", -1);
    return new RefundEntry(Integer.parseInt(parts[0]), Amount.of(parts[1], parts[2]), parts[3],
        "done".equals(parts[4]));
  }
}
