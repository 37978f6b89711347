package io.webstore.platform.resilience;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one asynchronous step per item with at most {@code lanes} in flight: a feed batch of a thousand records neither
 * waits for them one by one nor fires a thousand calls at DynamoDB or Redis at once. Steps start from the caller's
 * context, one after another as lanes free up.
 */
public final class Lanes {

  private Lanes() {}

  /**
   * Completes when every step has. A lane goes on past a failed step, and the result fails with the first failure
   * only once every step has finished: no step of the batch is still in flight when its caller retries it.
   */
  public static <T> Future<Void> each(List<T> items, int lanes, Function<T, Future<?>> step) {
    AtomicInteger next = new AtomicInteger();
    List<Throwable> failures = new ArrayList<>();
    List<Future<Void>> running = new ArrayList<>();
    for (int lane = 0; lane < Math.min(Math.max(1, lanes), items.size()); lane++) {
      running.add(drain(items, next, step, failures));
    }
    return Future.join(running).transform(done -> failures.isEmpty()
        ? Future.<Void>succeededFuture()
        : Future.<Void>failedFuture(failures.get(0)));
  }

  private static <T> Future<Void> drain(List<T> items, AtomicInteger next, Function<T, Future<?>> step,
      List<Throwable> failures) {
    int index = next.getAndIncrement();
    if (index >= items.size()) {
      return Future.succeededFuture();
    }
    Future<?> running;
    try {
      running = step.apply(items.get(index));
    } catch (RuntimeException e) {
      running = Future.failedFuture(e);
    }
    return running.transform(done -> {
      if (done.failed()) {
        failures.add(done.cause());
      }
      return drain(items, next, step, failures);
    });
  }
}
