package io.webstore.platform.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.metrics.Metered;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Resumes AWS SDK futures (completed on SDK threads) on the caller's Vert.x context. */
public final class AwsFutures {

  private AwsFutures() {}

  public static <T> Future<T> on(Vertx vertx, CompletableFuture<T> call) {
    return Future.fromCompletionStage(call, vertx.getOrCreateContext())
        .recover(err -> Future.failedFuture(
            err instanceof CompletionException && err.getCause() != null ? err.getCause() : err));
  }

  /** An SDK call, timed under {@code metric} by operation and outcome, resumed on the caller's context. */
  public static <T> Future<T> timed(Vertx vertx, MeterRegistry meters, String metric, String operation,
      Supplier<CompletableFuture<T>> call) {
    return Metered.timed(meters, metric, operation, () -> on(vertx, call.get()));
  }
}
