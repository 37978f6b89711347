package io.webstore.fraud;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.platform.config.RuntimeSettings;
import io.webstore.platform.metrics.MeterCache;
import io.webstore.platform.metrics.Metered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores an event: counts it in the velocity windows (one Redis call), turns the counts into {@link Signals}, and
 * asks the configured scorer: the local logistic model, or a remote one within its timeout, its event's
 * {@link FailurePolicy} deciding when it fails. The thresholds and local models follow the runtime settings.
 *
 * <p>When Redis cannot be asked, the counts are taken as zero and the verdict says {@code velocity_unavailable}:
 * refusing every login and payment would turn a cache outage into a full outage.
 *
 * <p>Meters: {@code webstore.fraud.scores} (event, decision, scorer), {@code webstore.fraud.remote.failures} (scorer,
 * reason), {@code webstore.fraud.fallbacks} (event, policy), {@code webstore.fraud.velocity.unavailable}, and the
 * remote calls' timer {@code webstore.fraud.remote.calls}.
 */
final class FraudScoring {

  static final String LOCAL = "local";
  private static final Logger log = LoggerFactory.getLogger(FraudScoring.class);
  private static final long LOG_EVERY_MS = 10_000;

  private final Velocity velocity;
  private final Optional<RemoteScorer> remote;
  private final Map<FraudEvent, FailurePolicy> onFailure;
  private final long remoteTimeoutMs;
  private final MeterRegistry meters;
  private final AtomicLong lastWarning = new AtomicLong();
  private volatile Model model;

  /** The thresholds and the local model per event, replaced as a whole on a settings change. */
  record Model(Thresholds thresholds, Map<FraudEvent, LogisticModel> models) {

    static Model from(RuntimeSettings.Fraud settings) {
      Map<FraudEvent, LogisticModel> models = new EnumMap<>(FraudEvent.class);
      for (FraudEvent event : FraudEvent.values()) {
        models.put(event, new LogisticModel(settings.models().getOrDefault(event.wireName(),
            LogisticModel.DEFAULTS.get(event))));
      }
      return new Model(new Thresholds(settings.reviewScore(), settings.rejectScore()), models);
    }
  }

  FraudScoring(Velocity velocity, Optional<RemoteScorer> remote, Map<FraudEvent, FailurePolicy> onFailure,
      long remoteTimeoutMs, MeterRegistry meters, RuntimeSettings.Fraud settings) {
    this.velocity = velocity;
    this.remote = remote;
    this.onFailure = Map.copyOf(onFailure);
    this.remoteTimeoutMs = remoteTimeoutMs;
    this.meters = meters;
    this.model = Model.from(settings);
  }

  /** Takes the runtime settings' thresholds and models for every later score. */
  void apply(RuntimeSettings.Fraud settings) {
    model = Model.from(settings);
  }

  Future<FraudVerdict> score(FraudRequest request, Velocity.Subjects subjects) {
    Instant now = Instant.now();
    return velocity.observe(subjects)
        .map(counts -> Signals.of(request, counts, now, false))
        .recover(err -> {
          warn("fraud.velocity.unavailable error={}", err);
          MeterCache.of(meters).describedCounter("webstore.fraud.velocity.unavailable",
              "Scores made without the velocity counters (Redis did not answer)").increment();
          return Future.succeededFuture(Signals.of(request, Signals.Counts.NONE, now, true));
        })
        .compose(signals -> remote.isEmpty()
            ? Future.succeededFuture(local(request.event(), signals, LOCAL, List.of()))
            : remote(remote.get(), request, signals))
        .andThen(done -> {
          if (done.succeeded()) {
            MeterCache.of(meters).describedCounter("webstore.fraud.scores", "Fraud scores by event and decision",
                "event", request.event().wireName(), "decision", done.result().decision().wireName(),
                "scorer", done.result().scorer()).increment();
          }
        });
  }

  /** The local model's verdict on already computed signals (also what the benchmark measures besides Redis). */
  FraudVerdict local(FraudEvent event, Signals signals, String scorer, List<String> extraReasons) {
    Model now = model;
    LogisticModel.Assessment assessment = now.models().get(event).assess(signals);
    List<String> reasons = new ArrayList<>(assessment.reasons());
    reasons.addAll(extraReasons);
    return new FraudVerdict(assessment.score(), now.thresholds().decide(assessment.score()), reasons, scorer);
  }

  private Future<FraudVerdict> remote(RemoteScorer scorer, FraudRequest request, Signals signals) {
    return Metered.timed(meters, "webstore.fraud.remote.calls", scorer.name(),
            () -> scorer.score(request, signals).timeout(remoteTimeoutMs, TimeUnit.MILLISECONDS))
        .map(answer -> {
          List<String> reasons = new ArrayList<>(answer.reasons());
          if (signals.unavailable()) {
            reasons.add("velocity_unavailable");
          }
          return new FraudVerdict(answer.score(), model.thresholds().decide(answer.score()), reasons, scorer.name());
        })
        .recover(err -> Future.succeededFuture(failed(scorer, request.event(), signals, err)));
  }

  private FraudVerdict failed(RemoteScorer scorer, FraudEvent event, Signals signals, Throwable err) {
    warn("fraud.remote.failed scorer=" + scorer.name() + " error={}", err);
    MeterCache cache = MeterCache.of(meters);
    cache.describedCounter("webstore.fraud.remote.failures", "Remote fraud scorer calls that failed or timed out",
        "scorer", scorer.name(), "reason", err.getClass().getSimpleName()).increment();
    FailurePolicy policy = onFailure.getOrDefault(event, FailurePolicy.LOCAL);
    cache.describedCounter("webstore.fraud.fallbacks", "Scores decided by the failure policy instead of the remote "
        + "scorer", "event", event.wireName(), "policy", policy.wireName()).increment();
    List<String> reasons = List.of(scorer.name() + "_unavailable");
    return switch (policy) {
      case LOCAL -> local(event, signals, "local_fallback", reasons);
      case ALLOW -> new FraudVerdict(0.0, Decision.ALLOW, reasons, "fail_open");
      case BLOCK -> new FraudVerdict(1.0, Decision.BLOCK, reasons, "fail_closed");
    };
  }

  /** One line per outage, not one per score. */
  private void warn(String format, Throwable err) {
    long now = System.currentTimeMillis();
    long last = lastWarning.get();
    if (now - last > LOG_EVERY_MS && lastWarning.compareAndSet(last, now)) {
      log.warn(format, err.toString());
    }
  }
}
