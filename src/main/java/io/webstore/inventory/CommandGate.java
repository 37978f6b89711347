package io.webstore.inventory;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.webstore.platform.error.Unavailable;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Admission control for calls to one dependency: at most {@code maxInFlight} run at once, the rest wait in a bounded
 * FIFO. A burst (a flash sale opening) then queues here, where waiting costs nothing, instead of in the client, where
 * it would eat the call's timeout: a Redis script that timed out may still run later (units held for a 503), a
 * DynamoDB attempt that timed out is retried on a hot item that is already the bottleneck. A call that waited longer
 * than {@code queueTimeoutMs} is refused without being sent; a full queue refuses at once.
 */
final class CommandGate {

  private record Waiter(Supplier<Future<Object>> command, Promise<Object> result, long deadlineNanos) {}

  private final String dependency;
  private final int maxInFlight;
  private final int maxQueued;
  private final long queueTimeoutNanos;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private int inFlight;

  CommandGate(String dependency, int maxInFlight, int maxQueued, long queueTimeoutMs) {
    this.dependency = dependency;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.queueTimeoutNanos = queueTimeoutMs * 1_000_000;
  }

  @SuppressWarnings("unchecked")
  <T> Future<T> run(Supplier<Future<T>> command) {
    Promise<Object> result = Promise.promise();
    Waiter waiter = new Waiter(() -> (Future<Object>) command.get(), result, System.nanoTime() + queueTimeoutNanos);
    synchronized (this) {
      if (inFlight >= maxInFlight) {
        if (queue.size() >= maxQueued) {
          return Future.failedFuture(saturated());
        }
        queue.add(waiter);
        return (Future<T>) result.future();
      }
      inFlight++;
    }
    start(waiter);
    return (Future<T>) result.future();
  }

  private void start(Waiter waiter) {
    Future<Object> running;
    try {
      running = waiter.command().get();
    } catch (RuntimeException e) {
      running = Future.failedFuture(e);
    }
    running.onComplete(done -> {
      waiter.result().handle(done);
      next();
    });
  }

  private void next() {
    Waiter waiter;
    while (true) {
      synchronized (this) {
        waiter = queue.poll();
        if (waiter == null) {
          inFlight--;
          return;
        }
      }
      if (System.nanoTime() <= waiter.deadlineNanos()) {
        break;
      }
      waiter.result().fail(saturated());
    }
    start(waiter);
  }

  private Unavailable saturated() {
    return new Unavailable("the " + dependency + " is saturated; retry shortly");
  }
}
