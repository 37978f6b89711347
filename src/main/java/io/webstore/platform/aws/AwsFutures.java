package io.webstore.platform.aws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Resumes AWS SDK futures (completed on SDK threads) on the caller's Vert.x context. */
public final class AwsFutures {

  private AwsFutures() {}

  public static <T> Future<T> on(Vertx vertx, CompletableFuture<T> call) {
    return Future.fromCompletionStage(call, vertx.getOrCreateContext())
        .recover(err -> Future.failedFuture(
            err instanceof CompletionException && err.getCause() != null ? err.getCause() : err));
  }
}
