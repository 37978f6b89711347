package io.webstore.fraud;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.RateLimited;
import io.webstore.platform.error.Replies;
import java.time.Duration;

/**
 * The fraud feature's addresses, typed. Login: {@link #score} a {@link FraudRequest#login} before the credentials are
 * checked (the same request for known and unknown emails), then {@link #loginFailed} after a failure. Payment (for the
 * checkout): {@link #score} a {@link FraudRequest#payment}; {@link FraudVerdict#blocked()} means refuse (403), {@link
 * FraudVerdict#review()} means place the order held for review.
 */
public final class FraudClient {

  private final EventBus bus;
  private final DeliveryOptions options;

  /** A client whose calls wait for the event bus's default reply timeout. */
  public FraudClient(Vertx vertx) {
    this.bus = vertx.eventBus();
    this.options = new DeliveryOptions();
  }

  /** A client whose calls fail {@code Unavailable} when the fraud feature has not answered within {@code timeout}. */
  public FraudClient(Vertx vertx, Duration timeout) {
    this.bus = vertx.eventBus();
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** The score, decision and reasons for one event; counts the event in the velocity windows. */
  public Future<FraudVerdict> score(FraudRequest request) {
    return bus.<JsonObject>request(FraudVerticle.SCORE, FraudJson.toJson(request), options)
        .map(reply -> FraudJson.verdict(reply.body()))
        .recover(Replies::recover);
  }

  /**
   * Screens a login before its credentials are checked: fails with {@link RateLimited} (429, {@code Retry-After})
   * when the verdict is block, whether or not the email has an account. Fails open: when the fraud feature cannot
   * answer, the login goes on to the password check and the rate limits, as it would without this feature.
   */
  public Future<Void> screenLogin(String email, String ip) {
    return score(FraudRequest.login(email, ip))
        .recover(err -> Future.succeededFuture(null))
        .compose(verdict -> verdict == null || !verdict.blocked() ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(new RateLimited("too many login attempts; retry in "
                + verdict.retryAfterSeconds() + " s", verdict.retryAfterSeconds())));
  }

  /** Counts a failed login of {@code email} from {@code ip}, whether or not the email has an account. */
  public Future<Void> loginFailed(String email, String ip) {
    return bus.<JsonObject>request(FraudVerticle.LOGIN_FAILED, new JsonObject().put("email", email).put("ip", ip),
            options)
        .<Void>mapEmpty()
        .recover(Replies::recover);
  }
}
