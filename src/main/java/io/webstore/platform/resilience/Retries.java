package io.webstore.platform.resilience;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way to retry a call: a bounded number of attempts, a jittered exponential backoff waited on a Vert.x timer
 * (nothing blocks a thread), a predicate for what is worth retrying, and a metric. Resilience4j's {@link Retry} counts
 * the attempts, applies the predicate and computes the backoff; this class only runs the attempts and the timers.
 *
 * <pre>{@code
 * Retries redisRetry = Retries.named("inventory.redis").attempts(3).backoff(ofMillis(40), ofMillis(1_000))
 *     .retryIf(err -> !(err instanceof DomainException)).metered(meters).build(vertx);
 * return redisRetry.run(() -> redis.evalsha(args)); // the last failure once it gives up
 * }</pre>
 *
 * <p>Counted as {@code webstore.resilience.retry.calls{retry, outcome}}, outcome one of {@code succeeded},
 * {@code succeeded_after_retry}, {@code failed_not_retryable} and {@code failed_after_retries}.
 */
public final class Retries {

  /** Called before each retry; may shorten the wait or give up (a deadline, a log line). */
  @FunctionalInterface
  public interface BeforeRetry {

    /**
     * @param attempt the attempt that just failed (1 for the first)
     * @param failure its failure
     * @param backoffMs the backoff the policy chose (0 without backoff)
     * @return how long to wait before the next attempt, or a negative number to give up with {@code failure}
     */
    long delayMs(int attempt, Throwable failure, long backoffMs);
  }

  private static final String METRIC = "webstore.resilience.retry.calls";

  private final Vertx vertx;
  private final String name;
  private final Retry retry;
  private final BeforeRetry beforeRetry;
  private final Predicate<Throwable> retryable;
  private final Counter succeeded;
  private final Counter succeededAfterRetry;
  private final Counter notRetryable;
  private final Counter afterRetries;

  private Retries(Vertx vertx, Builder builder) {
    this.vertx = vertx;
    this.name = builder.name;
    this.beforeRetry = builder.beforeRetry;
    this.retryable = builder.retryable;
    this.retry = Retry.of(builder.name, RetryConfig.custom()
        .maxAttempts(builder.attempts)
        .intervalFunction(builder.backoff)
        .retryOnException(retryable::test)
        .writableStackTraceEnabled(false)
        .build());
    MeterRegistry meters = builder.meters;
    this.succeeded = counter(meters, "succeeded");
    this.succeededAfterRetry = counter(meters, "succeeded_after_retry");
    this.notRetryable = counter(meters, "failed_not_retryable");
    this.afterRetries = counter(meters, "failed_after_retries");
  }

  /** Starts a retry policy named {@code name} (a low-cardinality tag: the call, never an id). */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /**
   * Runs {@code call} until it succeeds, fails with something the predicate does not retry, or the attempts are used
   * up; fails with the last failure. {@code call} must be safe to repeat. An exception thrown by {@code call} counts
   * as its failure.
   */
  public <T> Future<T> run(Supplier<Future<T>> call) {
    return attempt(retry.asyncContext(), call, 1);
  }

  private <T> Future<T> attempt(Retry.AsyncContext<T> context, Supplier<Future<T>> call, int attempt) {
    return invoke(call).transform(done -> {
      if (done.succeeded()) {
        context.onComplete();
        count(attempt == 1 ? succeeded : succeededAfterRetry);
        return Future.succeededFuture(done.result());
      }
      Throwable failure = done.cause();
      long backoffMs = context.onError(failure);
      long delayMs = backoffMs < 0 ? backoffMs : beforeRetry.delayMs(attempt, failure, backoffMs);
      if (delayMs < 0) {
        count(retryable.test(failure) ? afterRetries : notRetryable);
        return Future.failedFuture(failure);
      }
      return delayMs == 0
          ? attempt(context, call, attempt + 1)
          : vertx.timer(delayMs, TimeUnit.MILLISECONDS).compose(waited -> attempt(context, call, attempt + 1));
    });
  }

  private static <T> Future<T> invoke(Supplier<Future<T>> call) {
    try {
      return Objects.requireNonNull(call.get(), "a retried call returned no future");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static void count(Counter counter) {
    if (counter != null) {
      counter.increment();
    }
  }

  private Counter counter(MeterRegistry meters, String outcome) {
    return meters == null
        ? null
        : Counter.builder(METRIC).tag("retry", name).tag("outcome", outcome).register(meters);
  }

  /**
   * Exponential from {@code first}, doubling per attempt and capped at {@code max}, with "equal jitter": the wait is
   * drawn uniformly between half of that and all of it, so retries of many callers spread out and never wait longer
   * than {@code max}. Resilience4j's randomized exponential backoff around three quarters of the step, ± a third.
   */
  static IntervalFunction equalJitter(Duration first, Duration max) {
    long firstMs = Math.max(1, first.toMillis());
    long maxMs = Math.max(firstMs, max.toMillis());
    // 0.75 x ± 1/3 of it spans [x/2, x]; both ends scale with the step, so the cap stays a cap
    return IntervalFunction.ofExponentialRandomBackoff(Math.max(1, firstMs * 3 / 4), 2.0, 1.0 / 3,
        Math.max(1, maxMs * 3 / 4));
  }

  /** How a {@link Retries} is set up. Defaults: 3 attempts, backoff 50 ms doubling up to 1 s, every failure. */
  public static final class Builder {

    private final String name;
    private int attempts = 3;
    private IntervalFunction backoff = equalJitter(Duration.ofMillis(50), Duration.ofSeconds(1));
    private Predicate<Throwable> retryable = err -> true;
    private BeforeRetry beforeRetry = (attempt, failure, backoffMs) -> backoffMs;
    private MeterRegistry meters;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    /** At most this many attempts in all (the first included); {@link Integer#MAX_VALUE} for "until told to stop". */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1 (got " + attempts + ")");
      }
      this.attempts = attempts;
      return this;
    }

    /** Jittered exponential backoff: see {@link #equalJitter}. */
    public Builder backoff(Duration first, Duration max) {
      this.backoff = equalJitter(first, max);
      return this;
    }

    /**
     * No wait between attempts: for a conditional write that lost to one concurrent write and only has to read what
     * that write did and act on it (the next attempt is already different), not for a dependency that is struggling.
     */
    public Builder noBackoff() {
      this.backoff = attempt -> 0L;
      return this;
    }

    /** Only failures that pass {@code retryable} are retried; any other fails the call at once. */
    public Builder retryIf(Predicate<Throwable> retryable) {
      this.retryable = Objects.requireNonNull(retryable);
      return this;
    }

    /** Called before each retry; see {@link BeforeRetry}. */
    public Builder beforeRetry(BeforeRetry beforeRetry) {
      this.beforeRetry = Objects.requireNonNull(beforeRetry);
      return this;
    }

    /** Counts calls by outcome in {@code meters}. */
    public Builder metered(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    public Retries build(Vertx vertx) {
      return new Retries(Objects.requireNonNull(vertx), this);
    }
  }
}
