package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one asynchronous step per item with at most {@code lanes} in flight: a feed batch of a thousand products
 * neither waits for them one by one nor fires a thousand calls at DynamoDB or Redis at once.
 */
final class Lanes {

  private Lanes() {}

  /** Completes when every step has; fails with the first failure (a lane stops at its failure, the others go on). */
  static <T> Future<Void> each(List<T> items, int lanes, Function<T, Future<?>> step) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> running = new ArrayList<>();
    for (int lane = 0; lane < Math.min(Math.max(1, lanes), items.size()); lane++) {
      running.add(drain(items, next, step));
    }
    return Future.all(running).mapEmpty();
  }

  private static <T> Future<Void> drain(List<T> items, AtomicInteger next, Function<T, Future<?>> step) {
    int index = next.getAndIncrement();
    if (index >= items.size()) {
      return Future.succeededFuture();
    }
    return step.apply(items.get(index)).compose(done -> drain(items, next, step));
  }
}
