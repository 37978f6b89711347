package io.webstore.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.RuntimeSettings;
import io.webstore.platform.config.RuntimeSettingsClient;
import io.webstore.platform.error.RateLimited;
import io.webstore.platform.ratelimit.ClientAddress;
import io.webstore.platform.ratelimit.LocalShares;
import io.webstore.platform.ratelimit.RateLimiter;
import io.webstore.platform.ratelimit.RateLimiter.Bucket;
import io.webstore.platform.ratelimit.RateLimiter.Decision;
import io.webstore.platform.ratelimit.RateLimiter.Mode;
import io.webstore.platform.ratelimit.RateLimiter.WhenDown;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rate limits of the API, in one place: the per-client limit on every route but health, and the limits of sign-up,
 * login (attempts and, stricter, failures) and checkout. Limits come from the runtime settings and follow their
 * changes ({@code config.changed}). Over a limit the answer is 429 {@code too-many-requests} with {@code Retry-After}.
 *
 * <p>When Redis is down: the per-client, sign-up and login limits let requests through (logged, counted): refusing
 * would turn a cache outage into a full outage, and password hashing stays bounded by its own pool. Checkout refuses
 * with 503: it cannot succeed without Redis (stock holds live there), so refusing early costs nothing.
 *
 * <p>Failed logins are counted after the answer is a 401, whether or not the email has an account, so the answers for
 * known and unknown emails stay the same.
 */
final class RateLimitHandlers {

  private static final String EXEMPT = "/health/";

  private final RateLimiter limiter;
  private final LocalShares perClientShares;
  private final Optional<String> trustedProxyHeader;
  private volatile RuntimeSettings.RateLimits limits;

  private RateLimitHandlers(RateLimiter limiter, Duration leaseTime, Optional<String> trustedProxyHeader,
      RuntimeSettings.RateLimits limits) {
    this.limiter = limiter;
    this.perClientShares = new LocalShares(limiter, leaseTime);
    this.trustedProxyHeader = trustedProxyHeader;
    this.limits = limits;
  }

  /** Reads the limits in force and follows their changes (subscribed first, so no change is missed). */
  static Future<RateLimitHandlers> create(Vertx vertx, Services services) {
    var http = services.config().section("http");
    Optional<String> header = http.optionalString("trustedProxyHeader");
    Duration timeout = Duration.ofMillis(http.integerOrDefault("rateLimitTimeoutMs", 1000, 10, 60_000));
    Duration leaseTime = Duration.ofMillis(http.integerOrDefault("rateLimitLeaseMs", 100, 0, 1000));
    RuntimeSettingsClient settings = new RuntimeSettingsClient(vertx);
    return RateLimiter.create(vertx, services.redisApi(), services.meters(), timeout).compose(limiter -> {
      RateLimitHandlers[] created = new RateLimitHandlers[1];
      var changes = settings.onChange(next -> {
        if (created[0] != null) {
          created[0].limits = next.rateLimits();
        }
      });
      return changes.completion()
          .compose(subscribed -> settings.current())
          .map(current -> created[0] = new RateLimitHandlers(limiter, leaseTime, header,
              current.rateLimits()));
    });
  }

  /**
   * The per-client limit, as a root handler after the body handler (a body is at most {@code bodyLimitBytes}). It runs
   * on every request, so it admits from local shares of the client's bucket ({@link LocalShares}, {@code
   * http.rateLimitLeaseMs}) instead of asking Redis each time; this verticle's event loop is the only one using them.
   */
  Handler<RoutingContext> perClient() {
    return ctx -> {
      if (ctx.normalizedPath().startsWith(EXEMPT)) { // probes must see the truth, not a limit
        ctx.next();
        return;
      }
      int perSecond = limits.perClientPerSecond();
      enforce(ctx, perClientShares.take("client", new Bucket("client", clientOf(ctx), perSecond, perSecond),
          WhenDown.ALLOW));
    };
  }

  /** Binds the sign-up, login and checkout limits; call before the features bind their handlers. */
  void mount(RouterBuilder builder) {
    builder.getRoute("signUp").addHandler(this::signUp);
    builder.getRoute("logIn").addHandler(this::logIn);
    builder.getRoute("checkout").addHandler(this::checkout);
  }

  private void signUp(RoutingContext ctx) {
    var now = limits;
    enforce(ctx, limiter.decide("signup", Mode.TAKE,
        List.of(perMinute("signup", clientOf(ctx), now.signUpsPerClientPerMinute())), WhenDown.ALLOW));
  }

  private void logIn(RoutingContext ctx) {
    var now = limits;
    String client = clientOf(ctx);
    String account = accountOf(ctx.body().asJsonObject());
    List<Bucket> failures = List.of(
        perHour("failed_login_client", client, now.failedLoginsPerClientPerHour()),
        perHour("failed_login_account", account, now.failedLoginsPerAccountPerHour()));
    Future<Decision> decision = limiter.decide("failed_login", Mode.PEEK, failures, WhenDown.ALLOW)
        .compose(failed -> !failed.allowed() ? Future.succeededFuture(failed)
            : limiter.decide("login", Mode.TAKE, List.of(
                perMinute("login_client", client, now.loginsPerClientPerMinute()),
                perMinute("login_account", account, now.loginsPerAccountPerMinute())), WhenDown.ALLOW));
    ctx.addHeadersEndHandler(ended -> {
      if (ctx.response().getStatusCode() == 401) { // known or unknown email alike
        limiter.decide("failed_login_recorded", Mode.DRAIN, failures, WhenDown.ALLOW);
      }
    });
    enforce(ctx, decision);
  }

  private void checkout(RoutingContext ctx) {
    String customer = ctx.user().principal().getString("sub"); // BearerAuth has required it
    enforce(ctx, limiter.decide("checkout", Mode.TAKE,
        List.of(perMinute("checkout", customer, limits.checkoutsPerAccountPerMinute())), WhenDown.REFUSE));
  }

  private static void enforce(RoutingContext ctx, Future<Decision> decision) {
    decision.onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().allowed()) {
        ctx.next();
      } else {
        long wait = result.result().retryAfterSeconds();
        ctx.fail(new RateLimited("too many requests; retry in " + wait + " s", wait));
      }
    });
  }

  /** The client a limit counts ({@link ClientAddress}: the trusted proxy's last entry, else the peer). */
  private String clientOf(RoutingContext ctx) {
    return ClientAddress.of(ctx.request(), trustedProxyHeader);
  }

  /** The email as the customer feature compares it, hashed: keys in Redis never hold an email. */
  private static String accountOf(JsonObject body) {
    String email = body == null ? null : body.getString("email");
    return RateLimiter.digest(email == null ? "" : email.trim().toLowerCase(Locale.ROOT));
  }

  private static Bucket perMinute(String limit, String subject, int perMinute) {
    return new Bucket(limit, subject, perMinute, perMinute / 60.0);
  }

  private static Bucket perHour(String limit, String subject, int perHour) {
    return new Bucket(limit, subject, perHour, perHour / 3600.0);
  }
}
