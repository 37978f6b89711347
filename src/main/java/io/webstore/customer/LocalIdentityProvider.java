package io.webstore.customer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.auth.AuthKeys;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.metrics.Metered;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The store as its own identity provider (dev, {@code auth.mode=local}): Argon2id hashes in the {@link
 * CustomerStore}, access tokens signed by the local {@link AuthKeys}. A login for an unknown email verifies the
 * password against a dummy hash made at start, so it costs the same time as a wrong password and does not reveal
 * which emails have accounts.
 */
final class LocalIdentityProvider implements IdentityProvider {

  private static final String UNAUTHORIZED = "the email or password is wrong";
  private static final String HASH_METRIC = "webstore.customer.password.hashing";

  private final CustomerStore store;
  private final Argon2idHasher hasher;
  private final PasswordHashing pool;
  private final AuthKeys keys;
  private final Clock clock;
  private final String dummyHash;

  private LocalIdentityProvider(CustomerStore store, Argon2idHasher hasher, PasswordHashing pool, AuthKeys keys,
      Clock clock, String dummyHash) {
    this.store = store;
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
      AuthKeys keys, Clock clock) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String dummyPassword = Base64.getEncoder().encodeToString(secret);
    return pool.run("hash", () -> hasher.hash(dummyPassword))
        .map(dummy -> new LocalIdentityProvider(store, hasher, pool, keys, clock, dummy));
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
          return verify(password, hash).map(matches -> {
            if (!matches || found.isEmpty() || found.get().passwordHash().isEmpty()) {
              throw new Unauthorized(UNAUTHORIZED);
            }
            Credentials credentials = found.get();
            String token = keys.issue(credentials.customerId(), credentials.email().value(),
                List.copyOf(credentials.groups())).orElseThrow(); // local mode always has a signing key
            return AccessToken.bearer(token, keys.tokenTtlSeconds());
          });
        });
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
