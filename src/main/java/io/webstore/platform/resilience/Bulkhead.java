package io.webstore.platform.resilience;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.webstore.platform.error.Unavailable;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Admission control for calls to one dependency: at most {@code maxInFlight} run at once (Resilience4j's semaphore
 * bulkhead holds the permits, never waiting for one), the rest wait in a bounded FIFO. A burst (a flash sale opening)
 * then queues here, where waiting costs nothing, instead of in the client, where it would eat the call's timeout. A
 * call that waited longer than {@code queueTimeout} is refused without being sent; a full queue refuses at once. A
 * refusal is {@link Unavailable} ("the &lt;dependency&gt; is saturated"), which callers answer as 503 with
 * {@code Retry-After}.
 *
 * <p>Thread-safe without locks: whoever adds a waiter or frees a permit then drains, so a free permit and a waiting
 * call never stay apart. Counted as {@code webstore.resilience.bulkhead.rejected{bulkhead, reason}}, reason
 * {@code full} or {@code queue_timeout}.
 */
public final class Bulkhead {

  private record Waiter(Supplier<Future<Object>> call, Promise<Object> result, long deadlineNanos) {}

  private final String dependency;
  private final io.github.resilience4j.bulkhead.Bulkhead permits;
  private final int maxQueued;
  private final long queueTimeoutNanos;
  private final Queue<Waiter> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Supplier<? extends RuntimeException> refusal;
  private final Counter full;
  private final Counter queueTimedOut;

  private Bulkhead(String dependency, int maxInFlight, int maxQueued, Duration queueTimeout, MeterRegistry meters,
      Supplier<? extends RuntimeException> refusal) {
    if (maxInFlight < 1 || maxQueued < 0 || queueTimeout.isNegative()) {
      throw new IllegalArgumentException("a bulkhead needs maxInFlight >= 1, maxQueued >= 0 and a queue timeout >= 0"
          + " (got " + maxInFlight + ", " + maxQueued + ", " + queueTimeout + ")");
    }
    this.dependency = dependency;
    this.refusal = refusal != null
        ? refusal
        : () -> new Unavailable("the " + dependency + " is saturated; retry shortly");
    this.permits = io.github.resilience4j.bulkhead.Bulkhead.of(dependency, BulkheadConfig.custom()
        .maxConcurrentCalls(maxInFlight)
        .maxWaitDuration(Duration.ZERO) // never block a thread for a permit: waiting happens in the queue below
        .writableStackTraceEnabled(false)
        .build());
    this.maxQueued = maxQueued;
    this.queueTimeoutNanos = queueTimeout.toNanos();
    this.full = rejected(meters, dependency, "full");
    this.queueTimedOut = rejected(meters, dependency, "queue_timeout");
  }

  /**
   * @param dependency what the calls go to, in the refusal ({@code stock ledger}) and as the metric's tag
   * @param maxInFlight calls running at once
   * @param maxQueued calls waiting at most; beyond that a call is refused at once
   * @param queueTimeout how long a call may wait for its turn before it is refused unsent
   * @param meters where refusals are counted; null for nowhere
   */
  public static Bulkhead of(String dependency, int maxInFlight, int maxQueued, Duration queueTimeout,
      MeterRegistry meters) {
    return new Bulkhead(Objects.requireNonNull(dependency), maxInFlight, maxQueued, queueTimeout, meters, null);
  }

  /** The same, refusing with what {@code refusal} makes (an {@link Unavailable} that names the feature's limit). */
  public static Bulkhead of(String dependency, int maxInFlight, int maxQueued, Duration queueTimeout,
      MeterRegistry meters, Supplier<? extends RuntimeException> refusal) {
    return new Bulkhead(Objects.requireNonNull(dependency), maxInFlight, maxQueued, queueTimeout, meters,
        Objects.requireNonNull(refusal));
  }

  /** Runs {@code call} now, after the calls queued before it, or not at all (failed with {@link Unavailable}). */
  @SuppressWarnings("unchecked")
  public <T> Future<T> run(Supplier<Future<T>> call) {
    Promise<Object> result = Promise.promise();
    Waiter waiter = new Waiter(() -> (Future<Object>) call.get(), result, System.nanoTime() + queueTimeoutNanos);
    if (queue.isEmpty() && permits.tryAcquirePermission()) {
      start(waiter);
      return (Future<T>) result.future();
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      count(full);
      return Future.failedFuture(saturated());
    }
    queue.add(waiter);
    drain();
    return (Future<T>) result.future();
  }

  /** Calls running now. */
  public int inFlight() {
    io.github.resilience4j.bulkhead.Bulkhead.Metrics metrics = permits.getMetrics();
    return metrics.getMaxAllowedConcurrentCalls() - metrics.getAvailableConcurrentCalls();
  }

  /** Calls waiting now. */
  public int queued() {
    return queued.get();
  }

  /** Starts queued calls while permits are free; expired waiters are refused on the way. */
  private void drain() {
    while (!queue.isEmpty() && permits.tryAcquirePermission()) {
      Waiter waiter = queue.poll();
      if (waiter == null) {
        permits.releasePermission(); // another drain took it first
        continue;
      }
      queued.decrementAndGet();
      if (System.nanoTime() - waiter.deadlineNanos() > 0) {
        permits.releasePermission();
        count(queueTimedOut);
        waiter.result().fail(saturated());
        continue;
      }
      start(waiter);
    }
  }

  private void start(Waiter waiter) {
    Future<Object> running;
    try {
      running = Objects.requireNonNull(waiter.call().get(), "a bulkhead call returned no future");
    } catch (RuntimeException e) {
      running = Future.failedFuture(e);
    }
    running.onComplete(done -> {
      permits.onComplete();
      waiter.result().handle(done);
      drain();
    });
  }

  private RuntimeException saturated() {
    return refusal.get();
  }

  private static void count(Counter counter) {
    if (counter != null) {
      counter.increment();
    }
  }

  private static Counter rejected(MeterRegistry meters, String dependency, String reason) {
    return meters == null ? null : Counter.builder("webstore.resilience.bulkhead.rejected")
        .tag("bulkhead", dependency).tag("reason", reason).register(meters);
  }
}
