package io.webstore.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** Times an external call and tags it by operation and outcome (never by id). */
public final class Metered {

  private Metered() {}

  public static <T> Future<T> timed(MeterRegistry meters, String name, String operation, Supplier<Future<T>> call) {
    Timer.Sample sample = Timer.start(meters);
    return call.get().andThen(result -> sample.stop(MeterCache.of(meters).timer(name,
        "operation", operation,
        "outcome", result.succeeded() ? "success" : "failure",
        "reason", result.succeeded() ? "none" : result.cause().getClass().getSimpleName())));
  }
}
