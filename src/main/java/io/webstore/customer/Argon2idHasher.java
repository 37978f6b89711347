package io.webstore.customer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}). The
 * cost parameters travel inside each encoded hash and verification uses them, so the parameters for new hashes can
 * be raised later without invalidating stored ones. Costs tens of milliseconds of CPU and {@code m} KiB of memory per
 * call by design: callers run it off the event loop.
 */
final class Argon2idHasher {

  /** Cost parameters: memory in KiB, iterations, lanes. */
  public record Params(int memoryKib, int iterations, int parallelism) {
    /** OWASP's recommended minimum for Argon2id (m=19 MiB, t=2, p=1). */
    public static final Params OWASP = new Params(19_456, 2, 1);

    public Params {
      if (memoryKib < 8 * parallelism || memoryKib > 1 << 21 || iterations < 1 || iterations > 100
          || parallelism < 1 || parallelism > 64) {
        throw new IllegalArgumentException("argon2id parameters out of range: m=" + memoryKib + " t=" + iterations
            + " p=" + parallelism);
      }
    }
  }

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final String PREFIX = "$argon2id$v=19$";
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

  private final Params params;
  private final SecureRandom random = new SecureRandom();

  public Argon2idHasher(Params params) {
    this.params = params;
  }

  /** A new hash of {@code password} with a fresh 16-byte random salt and this hasher's parameters. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, params, HASH_BYTES);
    return PREFIX + "m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /**
   * Whether {@code password} matches {@code encoded}, compared in constant time. A malformed encoded hash never
   * matches.
   */
  public boolean verify(String password, String encoded) {
    Decoded stored = decode(encoded);
    if (stored == null) {
      return false;
    }
    byte[] candidate = derive(password, stored.salt(), stored.params(), stored.hash().length);
    return MessageDigest.isEqual(candidate, stored.hash());
  }

  private record Decoded(Params params, byte[] salt, byte[] hash) {}

  private static Decoded decode(String encoded) {
    if (encoded == null || !encoded.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      int memory = -1;
      int iterations = -1;
      int parallelism = -1;
      for (String pair : parts[0].split(",")) {
        String[] keyValue = pair.split("=", 2);
        int value = Integer.parseInt(keyValue[1]);
        switch (keyValue[0]) {
          case "m" -> memory = value;
          case "t" -> iterations = value;
          case "p" -> parallelism = value;
          default -> {
            return null;
          }
        }
      }
      byte[] salt = B64_DECODE.decode(parts[1]);
      byte[] hash = B64_DECODE.decode(parts[2]);
      if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
        return null;
      }
      return new Decoded(new Params(memory, iterations, parallelism), salt, hash);
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException malformed) {
      return null; // NumberFormatException and bad Base64 are IllegalArgumentExceptions too
    }
  }

  private static byte[] derive(String password, byte[] salt, Params params, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(params.memoryKib())
        .withIterations(params.iterations())
        .withParallelism(params.parallelism())
        .withSalt(salt)
        .build());
    byte[] secret = password.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[length];
    try {
      generator.generateBytes(secret, out);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    return out;
  }
}
