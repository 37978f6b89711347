package io.webstore.cart;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A guest session: the secret id a browser keeps in the {@code sid} cookie (or a mobile client sends as {@code
 * X-Session-Id}) and when it stops being honoured. Its cart is owned by {@code session:<sid>}.
 *
 * @param sid 128 random bits, base64url without padding (22 characters)
 */
record Session(String sid, Instant createdAt, Instant expiresAt) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SID = Pattern.compile("^[A-Za-z0-9_-]{22}$");

  public Session {
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** A new session with a fresh random id, valid until {@code expiresAt}. */
  public static Session start(Instant now, Instant expiresAt) {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bits), now, expiresAt);
  }

  /** Whether {@code text} has the shape of a session id (anything else is never looked up). */
  public static boolean wellFormed(String text) {
    return text != null && SID.matcher(text).matches();
  }

  public boolean activeAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}
