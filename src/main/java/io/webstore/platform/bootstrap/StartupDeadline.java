package io.webstore.platform.bootstrap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.resilience.Retries;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up work against the engines (provisioning, the admin account, demo data, first loads): each step is retried
 * with jittered exponential backoff until one deadline shared by the whole start-up ({@code startup.deadlineMs}), and
 * says what it waits for ({@code webstore.boot.waiting engine=dynamodb step=provision attempt=3 error=...}). Only when
 * the deadline passes does start-up fail, naming the engine. An engine that is slow to come up, or a busy machine
 * where one call times out, therefore delays the start instead of ending it. Retries wait on Vert.x timers; nothing
 * blocks a thread.
 */
public final class StartupDeadline {

  private static final Logger log = LoggerFactory.getLogger(StartupDeadline.class);

  /** The {@code startup} config section. */
  public record Settings(Duration deadline, Duration firstDelay, Duration maxDelay) {

    public static Settings from(WebstoreConfig config) {
      ConfigSection section = config.section("startup");
      return new Settings(
          Duration.ofMillis(section.integerOrDefault("deadlineMs", 120_000, 100, 3_600_000)),
          Duration.ofMillis(section.integerOrDefault("retryFirstDelayMs", 200, 1, 60_000)),
          Duration.ofMillis(section.integerOrDefault("retryMaxDelayMs", 5_000, 1, 600_000)));
    }
  }

  /** Start-up gave up: the deadline passed while {@code engine} still failed. */
  public static final class EngineUnavailable extends RuntimeException {
    EngineUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final long deadlineNanos;
  private final MeterRegistry meters;

  /** The deadline starts now. */
  public StartupDeadline(Vertx vertx, Settings settings, MeterRegistry meters) {
    this.vertx = vertx;
    this.settings = settings;
    this.deadlineNanos = System.nanoTime() + settings.deadline().toNanos();
    this.meters = meters;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Runs {@code work} until it succeeds, retrying every failure but a config error, until the start-up deadline.
   * Each attempt is cut off at the deadline too, so a call that hangs cannot hold start-up past it. {@code work} must
   * be safe to repeat (every start-up step is idempotent).
   *
   * @param engine what the step talks to, named in the log and in the final error ({@code dynamodb}, {@code redis})
   * @param step what is being done ({@code provision}, {@code admin-account})
   */
  public <T> Future<T> retry(String engine, String step, Supplier<Future<T>> work) {
    AtomicInteger attempts = new AtomicInteger(); // attempts started
    Retries untilDeadline = Retries.named("startup")
        .attempts(Integer.MAX_VALUE) // the deadline ends it, not a count
        .backoff(settings.firstDelay(), settings.maxDelay())
        .retryIf(err -> !(err instanceof ConfigException) // a wrong setting does not get better by waiting
            && !(err instanceof DeadlinePassed))
        .beforeRetry((attempt, err, delay) -> {
          long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
          if (left <= 0) {
            return -1;
          }
          Counter.builder("webstore.boot.retries").tag("engine", engine).tag("step", step).register(meters)
              .increment();
          log.warn("webstore.boot.waiting engine={} step={} attempt={} retry_in_ms={} deadline_in_ms={} error={}",
              engine, step, attempt, Math.min(delay, left), left, describe(err));
          return Math.max(1, Math.min(delay, left));
        })
        .build(vertx);
    return untilDeadline.<T>run(() -> {
      int attempt = attempts.incrementAndGet();
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return Future.failedFuture(new DeadlinePassed());
      }
      return work.get().timeout(remaining, TimeUnit.NANOSECONDS);
    }).recover(err -> {
      if (err instanceof ConfigException) {
        return Future.failedFuture(err);
      }
      return err instanceof DeadlinePassed
          ? Future.failedFuture(gaveUp(engine, step, attempts.get() - 1, null))
          : Future.failedFuture(gaveUp(engine, step, attempts.get(), err));
    });
  }

  /** The deadline passed before an attempt could start. */
  private static final class DeadlinePassed extends RuntimeException {
    DeadlinePassed() {
      super("the start-up deadline passed", null, false, false);
    }
  }

  private EngineUnavailable gaveUp(String engine, String step, int attempts, Throwable last) {
    String message = engine + " did not answer within the start-up deadline of " + settings.deadline().toMillis()
        + " ms (startup.deadlineMs; step " + step + ", " + attempts + " attempts"
        + (last == null ? "" : "; last error: " + describe(last)) + ")";
    return new EngineUnavailable(message, last);
  }

  private static String describe(Throwable err) {
    Throwable cause = err;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('\n', ' '));
  }
}
