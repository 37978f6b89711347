package io.webstore.payment;

import io.webstore.platform.error.Unauthorized;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a provider's webhook: header {@value #TIMESTAMP} holds the send time in Unix seconds, header {@value
 * #SIGNATURE} holds {@code v1=<hex>}, the HMAC-SHA256 with the webhook secret over {@code <timestamp>.<raw body>}
 * (the bytes as sent, before any parsing). A signature that does not match, or a timestamp further than the
 * tolerance (5 minutes) from now, is refused as {@link Unauthorized}; the comparison takes constant time.
 */
final class WebhookVerifier {

  static final String TIMESTAMP = "Webhook-Timestamp";
  static final String SIGNATURE = "Webhook-Signature";
  private static final String SCHEME = "v1=";

  private final byte[] secret;
  private final Duration tolerance;
  private final Clock clock;

  WebhookVerifier(String secret, Duration tolerance, Clock clock) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /** Fails {@link Unauthorized} unless the signature matches and the timestamp is fresh. */
  void verify(String timestamp, String signature, byte[] body) {
    if (secret.length == 0) {
      throw new Unauthorized("webhooks are not configured (no payment.webhookSecret)");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp == null ? "" : timestamp.trim());
    } catch (NumberFormatException e) {
      throw new Unauthorized("the " + TIMESTAMP + " header must be Unix seconds");
    }
    byte[] expected = sign(secret, seconds, body);
    byte[] given;
    try {
      given = signature != null && signature.startsWith(SCHEME)
          ? HexFormat.of().parseHex(signature.substring(SCHEME.length())) : new byte[0];
    } catch (IllegalArgumentException e) {
      given = new byte[0];
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw new Unauthorized("the webhook signature does not match");
    }
    Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
    if (age.compareTo(tolerance) > 0) {
      throw new Unauthorized("the webhook timestamp is more than " + tolerance.toMinutes() + " minutes away from now");
    }
  }

  /** The HMAC-SHA256 of {@code <timestamp>.<body>} with {@code secret}. */
  static byte[] sign(byte[] secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** The {@value #SIGNATURE} header value for {@code body} sent at {@code timestamp}. */
  static String header(String secret, long timestamp, byte[] body) {
    return SCHEME + HexFormat.of().formatHex(sign(secret.getBytes(StandardCharsets.UTF_8), timestamp, body));
  }
}
