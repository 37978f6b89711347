package io.webstore.customer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev admin account ({@code admin.email}, in the {@code admin} group), ensured at every start in {@code local}
 * auth mode. With {@code admin.password} set, the account gets that password at every start. Without it, a new
 * account gets a strong random password, printed once to stdout (never to the log); an existing one keeps its own.
 */
final class AdminAccount {

  static final String ADMIN_GROUP = "admin";

  private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final int GENERATED_LENGTH = 24; // ~140 bits from a 57-symbol alphabet

  private final Vertx vertx;
  private final CustomerStore store;
  private final Argon2idHasher hasher;
  private final MeterRegistry meters;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  AdminAccount(Vertx vertx, CustomerStore store, Argon2idHasher hasher, MeterRegistry meters, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.hasher = hasher;
    this.meters = meters;
    this.clock = clock;
  }

  Future<Void> ensure(EmailAddress email, Optional<String> configuredPassword) {
    configuredPassword.ifPresent(password -> {
      List<String> broken = PasswordPolicy.violations(password, email).stream()
          .map(PasswordPolicy.Violation::rule).toList();
      if (!broken.isEmpty()) { // the operator's choice stands: warn, naming the rules but never the password
        log.warn("customer.admin.weak_password rules={}", broken);
      }
    });
    return store.credentials(email)
        .<Void>compose(existing -> update(email, configuredPassword))
        .recover(err -> err instanceof NotFound ? create(email, configuredPassword) : Future.failedFuture(err));
  }

  private Future<Void> create(EmailAddress email, Optional<String> configuredPassword) {
    String password = configuredPassword.orElseGet(() -> generate(email));
    return LocalIdentityProvider.hash(vertx, hasher, meters, password)
        .compose(hash -> store.create(Customer.registered(UUID.randomUUID().toString(), email, clock.instant()),
            Optional.of(hash), Set.of(ADMIN_GROUP)))
        .<Void>map(created -> {
          log.info("customer.admin.created id={} password={}", created.id(),
              configuredPassword.isPresent() ? "configured" : "generated");
          if (configuredPassword.isEmpty()) {
            // stdout, not the log: shown once to whoever started the store, never shipped to log storage
            System.out.println("admin login: " + email.value() + " / " + password
                + " (set WEBSTORE_ADMIN_PASSWORD to choose it)");
          }
          return null;
        })
        .recover(err -> err instanceof Conflict // another instance created it meanwhile
            ? update(email, configuredPassword)
            : Future.failedFuture(err));
  }

  private Future<Void> update(EmailAddress email, Optional<String> configuredPassword) {
    Future<Optional<String>> hash = configuredPassword.isPresent()
        ? LocalIdentityProvider.hash(vertx, hasher, meters, configuredPassword.get()).map(Optional::of)
        : Future.succeededFuture(Optional.empty());
    return hash.compose(newHash -> store.updateCredentials(email, newHash, Set.of(ADMIN_GROUP)))
        .onSuccess(done -> log.info("customer.admin.ready password={}",
            configuredPassword.isPresent() ? "reset" : "unchanged"));
  }

  private String generate(EmailAddress email) {
    while (true) {
      StringBuilder password = new StringBuilder(GENERATED_LENGTH);
      for (int i = 0; i < GENERATED_LENGTH; i++) {
        password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      if (PasswordPolicy.violations(password.toString(), email).isEmpty()) { // almost always on the first draw
        return password.toString();
      }
    }
  }
}
