package io.webstore.fraud;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A card's fingerprint: HMAC-SHA256 of its token under a secret key ({@code fraud.cardFingerprintKey}), 128 bits in
 * hex. Keyed, so a leaked counter key cannot be matched against a list of card numbers or tokens without the secret.
 */
final class CardFingerprints {

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  CardFingerprints(String secret) {
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException("the card fingerprint key must have at least 16 characters");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  String of(String cardToken) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // a Mac is not thread-safe, and making one costs less than a lock
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(cardToken.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
