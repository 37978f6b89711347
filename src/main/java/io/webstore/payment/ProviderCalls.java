package io.webstore.payment;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.resilience.CircuitBreakers;
import io.webstore.platform.resilience.Retries;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How every call to the provider runs: each attempt bounded by a timeout, retryable failures retried (jittered,
 * bounded), all under one circuit breaker, timed as {@code webstore.payment.provider.calls{operation, outcome}}. A
 * call that gets no answer fails {@link Unavailable} (the caller's idempotency key makes a redo safe); an open
 * breaker fails at once, without calling. Timeouts are not retried here: the attempt may still land, and the checkout
 * that waits has a budget of its own.
 */
final class ProviderCalls {

  private static final String METRIC = "webstore.payment.provider.calls";

  private final Vertx vertx;
  private final MeterRegistry meters;
  private final Duration attemptTimeout;
  private final Retries retries;
  private final CircuitBreakers breaker;

  ProviderCalls(Vertx vertx, MeterRegistry meters, PaymentSettings settings) {
    this.vertx = vertx;
    this.meters = meters;
    this.attemptTimeout = settings.attemptTimeout();
    this.retries = Retries.named("payment.provider").attempts(settings.attempts())
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .retryIf(err -> err instanceof ProviderFailure failure && failure.retryable())
        .metered(meters).build(vertx);
    this.breaker = CircuitBreakers.named("payment.provider")
        .failureRate(settings.breakerFailureRate())
        .window(settings.breakerWindow(), settings.breakerMinimumCalls())
        .openFor(settings.breakerOpenFor())
        .recordIf(err -> err instanceof ProviderFailure)
        .metered(meters).build();
  }

  /** Runs {@code call} (one provider operation) with timeouts, retries and the breaker. */
  <T> Future<T> run(String operation, Supplier<Future<T>> call) {
    Timer.Sample sample = Timer.start(meters);
    return breaker.run(() -> retries.run(() -> bounded(call)))
        .andThen(result -> sample.stop(Timer.builder(METRIC).tag("operation", operation)
            .tag("outcome", outcome(result.succeeded() ? null : result.cause())).register(meters)))
        .recover(err -> Future.failedFuture(unavailable(err)));
  }

  private <T> Future<T> bounded(Supplier<Future<T>> call) {
    Promise<T> answer = Promise.promise();
    long timer = vertx.setTimer(attemptTimeout.toMillis(), fired -> answer.tryFail(ProviderFailure.timeout()));
    call.get().onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.succeeded()) {
        answer.tryComplete(done.result());
      } else {
        answer.tryFail(done.cause());
      }
    });
    return answer.future();
  }

  private Throwable unavailable(Throwable err) {
    if (err instanceof CircuitBreakers.Open) {
      return new Unavailable("payments are unavailable right now; nothing was charged; try again shortly");
    }
    if (err instanceof ProviderFailure) {
      return new Unavailable("the payment provider did not answer; nothing was charged; try again shortly");
    }
    return err;
  }

  private static String outcome(Throwable err) {
    if (err == null) {
      return "success";
    }
    if (err instanceof CircuitBreakers.Open) {
      return "circuit_open";
    }
    return err instanceof ProviderFailure failure ? failure.reason() : "error";
  }
}
