package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.error.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link IdentityProvider} in memory, shaped like an external provider ({@link CognitoIdentityProvider}): it keeps its
 * own directory of users by normalized email (a salted SHA-256 of each password; tests only, where a slow hash buys
 * nothing) and assigns the ids, and keeps the profiles in the given {@link CustomerStore} without a password hash.
 * A taken email is {@link Conflict}; a wrong password and an unknown email are the same {@link Unauthorized}. Tokens
 * are opaque; {@link #subjectOf} reads one back. Refresh tokens are single-use; accounts need no confirmation.
 */
final class InMemoryIdentityProvider implements IdentityProvider {

  private static final String UNAUTHORIZED = "the email or password is wrong";

  private record User(String id, byte[] salt, byte[] digest) {}

  private final CustomerStore store;
  private final Clock clock;
  private final long tokenTtlSeconds;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, User> users = new HashMap<>();
  private final Map<String, String> subjects = new HashMap<>();
  private final Map<String, String> refreshTokens = new HashMap<>();

  InMemoryIdentityProvider(CustomerStore store, Clock clock, long tokenTtlSeconds) {
    this.store = store;
    this.clock = clock;
    this.tokenTtlSeconds = tokenTtlSeconds;
  }

  @Override
  public Future<Customer> signUp(EmailAddress email, String password) {
    User user;
    synchronized (this) {
      if (users.containsKey(email.value())) {
        return Future.failedFuture(new Conflict("an account with this email already exists"));
      }
      byte[] salt = new byte[16];
      random.nextBytes(salt);
      user = new User(UUID.randomUUID().toString(), salt, digest(salt, password));
      users.put(email.value(), user);
    }
    return store.create(Customer.registered(user.id(), email, clock.instant()), Optional.empty(), Set.of())
        .onFailure(err -> forget(email, user));
  }

  @Override
  public synchronized Future<AccessToken> logIn(EmailAddress email, String password) {
    User user = users.get(email.value());
    if (user == null || !MessageDigest.isEqual(user.digest(), digest(user.salt(), password))) {
      return Future.failedFuture(new Unauthorized(UNAUTHORIZED));
    }
    return Future.succeededFuture(tokens(user.id()));
  }

  private AccessToken tokens(String customerId) {
    String token = "in-memory-" + UUID.randomUUID();
    String refresh = "in-memory-refresh-" + UUID.randomUUID();
    subjects.put(token, customerId);
    refreshTokens.put(refresh, customerId);
    return AccessToken.bearer(token, tokenTtlSeconds, refresh);
  }

  @Override
  public synchronized Future<Void> confirm(EmailAddress email, String code) {
    return users.containsKey(email.value()) ? Future.succeededFuture()
        : Future.failedFuture(Validation.of("/code", "no account awaits this code"));
  }

  @Override
  public synchronized Future<AccessToken> refresh(String refreshToken) {
    String customerId = refreshTokens.remove(refreshToken);
    return customerId == null
        ? Future.failedFuture(new Unauthorized("the refresh token is invalid, expired or revoked"))
        : Future.succeededFuture(tokens(customerId));
  }

  /** The customer id a token of this provider was issued for; {@code Unauthorized} for any other token. */
  synchronized Future<String> subjectOf(AccessToken token) {
    String subject = subjects.get(token.token());
    return subject == null ? Future.failedFuture(new Unauthorized("the token is invalid or expired"))
        : Future.succeededFuture(subject);
  }

  private synchronized void forget(EmailAddress email, User user) {
    users.remove(email.value(), user);
  }

  private static byte[] digest(byte[] salt, String password) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(salt);
      return sha256.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
