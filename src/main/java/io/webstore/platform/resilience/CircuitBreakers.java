package io.webstore.platform.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one circuit breaker: Resilience4j's {@link CircuitBreaker} state machine (count-based sliding window, failure
 * rate threshold, a wait in open, a few trial calls in half-open) driven by {@link Future}s: nothing blocks, no thread
 * is started. While open, a call fails at once with {@link Open} and the dependency is not called.
 *
 * <pre>{@code
 * CircuitBreakers provider = CircuitBreakers.named("payment.provider").failureRate(50).window(20, 10)
 *     .openFor(Duration.ofSeconds(10)).recordIf(err -> err instanceof ProviderFailure).metered(meters).build();
 * return provider.run(() -> client.send(request)); // Open while the provider is failing
 * }</pre>
 *
 * <p>Counted as {@code webstore.resilience.breaker.calls{breaker, outcome}} (success, failure, ignored, rejected);
 * the state is the gauge {@code webstore.resilience.breaker.state{breaker}} (0 closed, 1 open, 2 half-open).
 */
public final class CircuitBreakers {

  /** The call was not made: the breaker is open (the dependency failed too often lately). */
  public static final class Open extends RuntimeException {
    Open(String name) {
      super("circuit breaker " + name + " is open", null, false, false);
    }
  }

  private static final String METRIC = "webstore.resilience.breaker.calls";

  private final String name;
  private final CircuitBreaker breaker;
  private final Predicate<Throwable> recorded;
  private final MeterRegistry meters;

  private CircuitBreakers(Builder builder) {
    this.name = builder.name;
    this.recorded = builder.recorded;
    this.meters = builder.meters;
    this.breaker = CircuitBreaker.of(builder.name, CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(builder.windowSize)
        .minimumNumberOfCalls(builder.minimumCalls)
        .failureRateThreshold(builder.failureRatePercent)
        .waitDurationInOpenState(builder.openFor)
        .permittedNumberOfCallsInHalfOpenState(builder.halfOpenCalls)
        .automaticTransitionFromOpenToHalfOpenEnabled(false) // judged on the next call: no scheduler thread
        .recordException(builder.recorded::test)
        .writableStackTraceEnabled(false)
        .build());
    if (meters != null) {
      Gauge.builder("webstore.resilience.breaker.state", breaker, b -> switch (b.getState()) {
        case OPEN, FORCED_OPEN -> 1;
        case HALF_OPEN -> 2;
        default -> 0;
      }).tag("breaker", name).register(meters);
    }
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /**
   * Runs {@code call} if the breaker permits it and records its outcome (failures that pass the predicate count
   * against the dependency, others are ignored); fails with {@link Open} without calling otherwise.
   */
  public <T> Future<T> run(Supplier<Future<T>> call) {
    try {
      breaker.acquirePermission();
    } catch (CallNotPermittedException refused) {
      count("rejected");
      return Future.failedFuture(new Open(name));
    }
    long start = breaker.getCurrentTimestamp();
    Future<T> result;
    try {
      result = Objects.requireNonNull(call.get(), "a guarded call returned no future");
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(done -> {
      long elapsed = breaker.getCurrentTimestamp() - start;
      if (done.succeeded()) {
        breaker.onSuccess(elapsed, breaker.getTimestampUnit());
        count("success");
      } else {
        breaker.onError(elapsed, breaker.getTimestampUnit(), done.cause());
        count(recorded.test(done.cause()) ? "failure" : "ignored");
      }
    });
  }

  private void count(String outcome) {
    if (meters != null) {
      Counter.builder(METRIC).tag("breaker", name).tag("outcome", outcome).register(meters).increment();
    }
  }

  /**
   * How a breaker is set up. Defaults: opens when half of the last 20 calls (at least 10) failed, stays open 10 s,
   * then lets 3 trial calls through; every failure counts.
   */
  public static final class Builder {

    private final String name;
    private float failureRatePercent = 50;
    private int windowSize = 20;
    private int minimumCalls = 10;
    private Duration openFor = Duration.ofSeconds(10);
    private int halfOpenCalls = 3;
    private Predicate<Throwable> recorded = err -> true;
    private MeterRegistry meters;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    /** Opens when at least this share (1..100 %) of the window's calls failed. */
    public Builder failureRate(float percent) {
      if (percent <= 0 || percent > 100) {
        throw new IllegalArgumentException("failure rate must be in (0, 100] (got " + percent + ")");
      }
      this.failureRatePercent = percent;
      return this;
    }

    /** The last {@code size} calls are judged, once there were at least {@code minimumCalls}. */
    public Builder window(int size, int minimumCalls) {
      if (size < 1 || minimumCalls < 1) {
        throw new IllegalArgumentException("window size and minimum calls must be at least 1");
      }
      this.windowSize = size;
      this.minimumCalls = minimumCalls;
      return this;
    }

    /** How long it stays open before trial calls go through. */
    public Builder openFor(Duration wait) {
      this.openFor = Objects.requireNonNull(wait);
      return this;
    }

    /** Trial calls let through in half-open. */
    public Builder halfOpenCalls(int calls) {
      this.halfOpenCalls = Math.max(1, calls);
      return this;
    }

    /** Only failures that pass {@code failure} count against the dependency (a decline is an answer, not a fault). */
    public Builder recordIf(Predicate<Throwable> failure) {
      this.recorded = Objects.requireNonNull(failure);
      return this;
    }

    public Builder metered(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    public CircuitBreakers build() {
      return new CircuitBreakers(this);
    }
  }
}
