package io.webstore.customer;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.cart.CartClient;
import io.webstore.fraud.FraudClient;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.ConfigException;
import io.webstore.platform.error.Validation;
import io.webstore.platform.ratelimit.ClientAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Customers and authentication: sign-up, login, profiles and consents, and the dev admin account. */
public final class CustomerFeature implements Feature {

  private static final Duration GUEST_MERGE_TIMEOUT = Duration.ofSeconds(6);

  /**
   * What {@link #deploy} starts and {@link #afterDeploy} awaits, per store: the admin account and the identity
   * provider's dummy hash.
   */
  private final Map<Services, Future<?>> starting = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "customer";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(DynamoCustomerStore.TABLE, DynamoRefreshTokens.TABLE);
  }

  @Override
  public Future<?> deploy(Services services) {
    // both started now and awaited before ready (afterDeploy): their Argon2id hashes (the admin's password and the
    // dummy that unknown logins verify against; each up to a second of a cold start's CPU) run on worker threads
    // while the other features deploy, instead of one after another before them
    Future<?> admin = adminAccount(services);
    CustomerVerticle verticle = new CustomerVerticle(services);
    Future<String> deployed = services.vertx().deployVerticle(verticle);
    starting.put(services, Future.all(admin, deployed.compose(id -> verticle.identityReady())));
    return deployed;
  }

  /**
   * Argon2id cost ({@code customer.argon2MemoryKib}, {@code customer.argon2Iterations}, {@code
   * customer.argon2Parallelism}); OWASP's minimum by default. Stored hashes carry their own parameters, so a change
   * applies to new hashes and old ones still verify.
   */
  static Argon2idHasher.Params hashing(Services services) {
    var section = services.config().section("customer");
    Argon2idHasher.Params owasp = Argon2idHasher.Params.OWASP;
    return new Argon2idHasher.Params(
        section.integerOrDefault("argon2MemoryKib", owasp.memoryKib(), 1024, 1 << 21),
        section.integerOrDefault("argon2Iterations", owasp.iterations(), 1, 100),
        section.integerOrDefault("argon2Parallelism", owasp.parallelism(), 1, 64));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    // the merge waits for the cart, which waits for the catalog's quotes: a generous bound, the login is waiting
    GuestCartMerge guestCarts = new GuestCartMerge(new CartClient(services.vertx(), GUEST_MERGE_TIMEOUT),
        services.authKeys().tokens());
    var trustedProxyHeader = services.config().section("http").optionalString("trustedProxyHeader");
    new CustomerRoutes(new CustomerClient(services.vertx()), guestCarts, new FraudClient(services.vertx()),
        request -> ClientAddress.of(request, trustedProxyHeader)).mount(builder);
  }

  @Override
  public Future<?> afterDeploy(Services services) {
    Future<?> started = starting.remove(services);
    return started != null ? started : adminAccount(services);
  }

  private static Future<?> adminAccount(Services services) {
    if (!services.config().auth().local()) {
      return Future.succeededFuture(); // administrators are in the user pool's admin group (dev: made by DevMain)
    }
    EmailAddress email;
    try {
      email = EmailAddress.parse(services.config().admin().email());
    } catch (Validation invalid) {
      return Future.failedFuture(new ConfigException("admin.email must look like name@example.com (got "
          + services.config().admin().email() + "; set it in conf/ or WEBSTORE_ADMIN_EMAIL)"));
    }
    CustomerStore store = new DynamoCustomerStore(services.vertx(), services.aws().dynamo(),
        services.config().dynamo().table(DynamoCustomerStore.TABLE.name()), services.meters());
    AdminAccount admin = new AdminAccount(services.vertx(), store, new Argon2idHasher(hashing(services)),
        services.meters(), Clock.systemUTC());
    return services.startup().retry("dynamodb", "admin-account",
        () -> admin.ensure(email, services.config().admin().password()));
  }
}
