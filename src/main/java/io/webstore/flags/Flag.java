package io.webstore.flags;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A feature flag as stored: while {@code enabled}, on for {@code percentage}% of targeting keys (customer ids),
 * chosen deterministically by {@link #bucket}, so a customer keeps the same answer and raising the percentage only
 * adds customers.
 *
 * @param version   1 on creation, +1 on each change; writes are conditional on it
 * @param updatedBy subject of the admin who made the change
 */
public record Flag(String name, boolean enabled, int percentage, Optional<String> description, long version,
    Instant updatedAt, String updatedBy) {

  /** A flag's name (also the path parameter's pattern in openapi.yaml). */
  public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{1,63}$");

  public Flag {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
  }

  /** Whether this flag is on for the customer (or anonymous id) {@code targetingKey}. */
  public boolean isOnFor(String targetingKey) {
    return enabled && bucket(name, targetingKey) < percentage;
  }

  /**
   * The key's bucket in 0..99 for this flag: the first 4 bytes of SHA-256(flagName + ":" + targetingKey) as an
   * unsigned int, mod 100. Salting with the flag's name spreads each flag's 30% over different customers.
   */
  public static int bucket(String flagName, String targetingKey) {
    byte[] hash = sha256().digest((flagName + ":" + targetingKey).getBytes(StandardCharsets.UTF_8));
    long first4 = ((hash[0] & 0xFFL) << 24) | ((hash[1] & 0xFFL) << 16) | ((hash[2] & 0xFFL) << 8) | (hash[3] & 0xFFL);
    return (int) (first4 % 100);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256"); // not thread-safe: one per call, cheap next to the hash itself
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
