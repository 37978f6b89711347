package io.webstore.customer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.auth.AuthKeys;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.error.Validation;
import io.webstore.platform.metrics.Metered;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The store as its own identity provider (dev, {@code auth.mode=local}): Argon2id hashes in the {@link
 * CustomerStore}, access tokens signed by the local {@link AuthKeys}. A login for an unknown email verifies the
 * password against a dummy hash made at start, so it costs the same time as a wrong password and does not reveal
 * which emails have accounts.
 *
 * <p>Every login also issues a refresh token (32 random bytes, kept by their SHA-256 in {@link RefreshTokens}): it is
 * single-use, each refresh answering a new one of the same family, and revocable (a replayed one revokes its
 * family). Local accounts need no email confirmation.
 */
final class LocalIdentityProvider implements IdentityProvider {

  private static final String UNAUTHORIZED = "the email or password is wrong";
  private static final String BAD_REFRESH = "the refresh token is invalid, expired or revoked";
  private static final String HASH_METRIC = "webstore.customer.password.hashing";

  private final CustomerStore store;
  private final Argon2idHasher hasher;
  private final PasswordHashing pool;
  private final AuthKeys keys;
  private final Clock clock;
  private final String dummyHash;
  private final RefreshTokens refreshTokens;
  private final Duration refreshTtl;
  private final SecureRandom random = new SecureRandom();

  private LocalIdentityProvider(CustomerStore store, Argon2idHasher hasher, PasswordHashing pool, AuthKeys keys,
      Clock clock, String dummyHash, RefreshTokens refreshTokens, Duration refreshTtl) {
    this.store = store;
    this.refreshTokens = refreshTokens;
    this.refreshTtl = refreshTtl;
    this.hasher = hasher;
    this.pool = pool;
    this.keys = keys;
    this.clock = clock;
    this.dummyHash = dummyHash;
  }

  /**
   * Builds the provider once its dummy hash (same parameters as real ones) is made. Sign-up and login hash on {@code
   * pool}, which refuses what it cannot take.
   */
  static Future<IdentityProvider> create(CustomerStore store, Argon2idHasher hasher, PasswordHashing pool,
      AuthKeys keys, Clock clock, RefreshTokens refreshTokens, Duration refreshTtl) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String dummyPassword = Base64.getEncoder().encodeToString(secret);
    return pool.run("hash", () -> hasher.hash(dummyPassword))
        .map(dummy -> new LocalIdentityProvider(store, hasher, pool, keys, clock, dummy, refreshTokens, refreshTtl));
  }

  @Override
  public Future<Customer> signUp(EmailAddress email, String password) {
    return pool.run("hash", () -> hasher.hash(password))
        .compose(hash -> store.create(Customer.registered(UUID.randomUUID().toString(), email, clock.instant()),
            Optional.of(hash), Set.of()));
  }

  @Override
  public Future<AccessToken> logIn(EmailAddress email, String password) {
    return store.credentials(email)
        .map(Optional::of)
        .recover(err -> err instanceof NotFound ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(err))
        .compose(found -> {
          String hash = found.flatMap(Credentials::passwordHash).orElse(dummyHash);
          return verify(password, hash).compose(matches -> {
            if (!matches || found.isEmpty() || found.get().passwordHash().isEmpty()) {
              return Future.failedFuture(new Unauthorized(UNAUTHORIZED));
            }
            return tokens(found.get(), UUID.randomUUID().toString());
          });
        });
  }

  @Override
  public Future<Void> confirm(EmailAddress email, String code) {
    // local accounts are confirmed at sign-up: confirming one again succeeds, whatever the code
    return store.credentials(email)
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(err instanceof NotFound
            ? Validation.of("/code", "the confirmation code is wrong or expired, or no account awaits it")
            : err));
  }

  @Override
  public Future<AccessToken> refresh(String refreshToken) {
    return refreshTokens.consume(sha256(refreshToken), clock.instant())
        .compose(grant -> store.credentials(grant.email())
            .recover(err -> Future.failedFuture(err instanceof NotFound ? new Unauthorized(BAD_REFRESH) : err))
            .compose(credentials -> credentials.customerId().equals(grant.customerId())
                ? tokens(credentials, grant.familyId()) // groups as they are now
                : Future.failedFuture(new Unauthorized(BAD_REFRESH))));
  }

  /** An access token and a new refresh token of {@code familyId} for the account. */
  private Future<AccessToken> tokens(Credentials credentials, String familyId) {
    String access = keys.issue(credentials.customerId(), credentials.email().value(),
        List.copyOf(credentials.groups())).orElseThrow(); // local mode always has a signing key
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return refreshTokens.issue(sha256(refresh), new RefreshTokens.Grant(credentials.customerId(),
            credentials.email(), familyId, clock.instant().plus(refreshTtl)))
        .map(issued -> AccessToken.bearer(access, keys.tokenTtlSeconds(), refresh));
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private Future<Boolean> verify(String password, String hash) {
    return pool.run("verify", () -> hasher.verify(password, hash));
  }

  /** For the admin account at start-up only: the shared worker pool, never refused. */
  static Future<String> hash(Vertx vertx, Argon2idHasher hasher, MeterRegistry meters, String password) {
    // Argon2id costs tens of ms of CPU and 19 MiB by design: a worker thread, unordered so sign-ups do not queue
    // behind each other
    return Metered.timed(meters, HASH_METRIC, "hash",
        () -> vertx.executeBlocking(() -> hasher.hash(password), false));
  }
}
