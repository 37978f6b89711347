package io.webstore.customer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.metrics.Metered;
import io.webstore.platform.resilience.Bulkhead;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs password hashing on its own bounded pool: {@code threads} hash at once and at most {@code queue} more wait.
 * Argon2id costs tens of ms of CPU and MiBs of memory by design, so a burst of sign-ups and logins beyond that is
 * refused at once ({@link Unavailable}: 503 with {@code Retry-After}) rather than queued for seconds on the shared
 * worker pool, where it would also starve every other blocking task of the process.
 */
final class PasswordHashing {

  private static final String TIMER = "webstore.customer.password.hashing";

  private final WorkerExecutor executor;
  private final Bulkhead admission;
  private final MeterRegistry meters;

  PasswordHashing(Vertx vertx, int threads, int queue, MeterRegistry meters) {
    this.executor = vertx.createSharedWorkerExecutor("webstore-password-hashing", threads);
    this.meters = meters;
    Counter shed = Counter.builder("webstore.customer.password.hashing.shed")
        .description("Password hashes refused because the hashing pool and its queue were full")
        .register(meters);
    // the pool's own queue holds the waiting hashes: admit threads + queue, refuse the rest at once
    this.admission = Bulkhead.of("password hashing", threads + queue, 0, Duration.ZERO, meters, () -> {
      shed.increment();
      return new Unavailable("too many sign-ups and logins at once; retry in a moment");
    });
  }

  /** Runs {@code work} on the pool, or fails at once with {@link Unavailable} when the pool and queue are full. */
  <T> Future<T> run(String operation, Callable<T> work) {
    // unordered: hashes are independent, so they must not queue behind each other on one context
    return admission.run(() -> Metered.timed(meters, TIMER, operation, () -> executor.executeBlocking(work, false)));
  }

  Future<Void> close() {
    return executor.close();
  }
}
