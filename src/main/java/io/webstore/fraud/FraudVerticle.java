package io.webstore.fraud;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.webstore.platform.config.RuntimeSettings;
import io.webstore.platform.config.RuntimeSettingsClient;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.ratelimit.RateLimiter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns {@value #SCORE} and {@value #LOGIN_FAILED}. Reduces each request to keys first (an email to its digest, a card
 * token to its fingerprint; neither is kept nor logged), then scores it with {@link FraudScoring}. Thresholds and the
 * local models follow the runtime settings ({@code config.changed}).
 */
final class FraudVerticle extends VerticleBase {

  /** Request/reply: a {@link FraudRequest} → a {@link FraudVerdict} (see {@code bus/fraud.score.json}). */
  public static final String SCORE = "fraud.score";
  /** Request/reply: {@code {"email", "ip"}} of a login that failed → {@code {}}; feeds the failed-login windows. */
  public static final String LOGIN_FAILED = "fraud.loginFailed";

  private static final Logger log = LoggerFactory.getLogger(FraudVerticle.class);
  private static final int LONGEST_SUBJECT = 128;
  private static final Set<String> KNOWN_FEATURES = Set.copyOf(Signals.NAMES);

  private final RedisAPI redis;
  private final FraudSettings settings;
  private final Optional<RemoteScorer> remote;
  private final MeterRegistry meters;
  private final CardFingerprints fingerprints;
  private Velocity velocity;
  private FraudScoring scoring;

  FraudVerticle(RedisAPI redis, FraudSettings settings, Optional<RemoteScorer> remote, MeterRegistry meters) {
    this.redis = redis;
    this.settings = settings;
    this.remote = remote;
    this.meters = meters;
    this.fingerprints = new CardFingerprints(settings.cardFingerprintKey());
  }

  @Override
  public Future<?> start() {
    RuntimeSettingsClient runtime = new RuntimeSettingsClient(vertx);
    return RedisVelocity.create(vertx, redis, settings.redisTimeout(), settings.window(), settings.failedLoginWindow())
        .compose(created -> {
          velocity = created;
          return runtime.onChange(this::apply).completion();
        })
        .compose(subscribed -> runtime.current())
        .recover(err -> Future.failedFuture(new IllegalStateException(
            "fraud needs the runtime settings (is the runtime feature disabled?): " + err.getMessage(), err)))
        .compose(current -> {
          warnUnknownWeights(current.fraud());
          scoring = new FraudScoring(velocity, remote, settings.onRemoteFailure(), settings.remoteTimeout().toMillis(),
              meters, current.fraud());
          return Future.all(
              vertx.eventBus().<JsonObject>consumer(SCORE, this::score).completion(),
              vertx.eventBus().<JsonObject>consumer(LOGIN_FAILED, this::loginFailed).completion());
        })
        .onSuccess(started -> log.info("fraud.started scorer={} on_remote_failure={}", settings.scorer(),
            settings.onRemoteFailure()));
  }

  @Override
  public Future<?> stop() {
    if (remote.isEmpty()) {
      return Future.succeededFuture();
    }
    // the SDK's close waits for its Netty threads: a worker thread of its own, not the event loop
    WorkerExecutor closer = vertx.createSharedWorkerExecutor("fraud-remote-close", 1);
    return closer.executeBlocking(() -> {
      remote.get().close();
      return null;
    }).eventually(closer::close);
  }

  private void apply(RuntimeSettings next) {
    if (scoring != null) {
      warnUnknownWeights(next.fraud());
      scoring.apply(next.fraud());
    }
  }

  /** The runtime file is validated by the platform, which does not know the features' names: a typo is named here. */
  private static void warnUnknownWeights(RuntimeSettings.Fraud fraud) {
    fraud.models().forEach((event, model) -> model.weights().keySet().stream()
        .filter(name -> !KNOWN_FEATURES.contains(name))
        .forEach(name -> log.warn("fraud.model.unknown_feature event={} feature={} (it weighs nothing; known: {})",
            event, name, Signals.NAMES)));
  }

  private void score(Message<JsonObject> msg) {
    FraudRequest request;
    try {
      request = FraudJson.request(msg.body());
    } catch (IllegalArgumentException bad) {
      Replies.fail(msg, Validation.of(bad.getMessage(), "missing or not valid"));
      return;
    }
    scoring.score(request, subjects(request))
        .map(verdict -> verdict.blocked() && request.event() == FraudEvent.LOGIN
            ? verdict.retryAfter(settings.loginRetryAfter().toSeconds())
            : verdict)
        .onSuccess(verdict -> msg.reply(FraudJson.toJson(verdict)))
        .onFailure(err -> Replies.fail(msg, err));
  }

  private void loginFailed(Message<JsonObject> msg) {
    String email = msg.body().getString("email");
    String ip = msg.body().getString("ip");
    if (email == null || ip == null || ip.isBlank()) {
      Replies.fail(msg, Validation.of(email == null ? "/email" : "/ip", "required"));
      return;
    }
    velocity.loginFailed(emailKey(email), subject(ip))
        .onSuccess(done -> msg.reply(new JsonObject()))
        .onFailure(err -> Replies.fail(msg, err));
  }

  private Velocity.Subjects subjects(FraudRequest request) {
    String loginKey = request.email() == null ? null : emailKey(request.email());
    String account = request.account() != null ? subject(request.account()) : loginKey;
    String card = request.cardFingerprint() != null ? subject(request.cardFingerprint())
        : request.cardToken() != null ? fingerprints.of(request.cardToken()) : null;
    return new Velocity.Subjects(request.event(), account, loginKey, subject(request.ip()),
        request.deviceId() == null ? null : subject(request.deviceId()), card,
        request.amount() == null ? null : request.amount().toPlainString(),
        request.currency() == null ? null : subject(request.currency()));
  }

  /** The email as the customer feature compares it, hashed: keys in Redis never hold an email. */
  static String emailKey(String email) {
    return RateLimiter.digest(email.trim().toLowerCase(Locale.ROOT));
  }

  /** A subject as a key part: short ones as they are, long ones (a client could send anything) digested. */
  private static String subject(String value) {
    return value.length() <= LONGEST_SUBJECT ? value : RateLimiter.digest(value);
  }
}
