package io.webstore.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of a port's future, waited for on the test's thread with a deadline, for contract tests written in
 * plain sequential style. {@code what} names the port in the failure message.
 */
public final class Outcomes {

  private Outcomes() {}

  /** The result of {@code future}; an {@link AssertionError} when it fails or does not complete within {@code wait}. */
  public static <T> T result(Future<T> future, Duration wait, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no answer from " + what, e);
    }
  }

  /** The failure of {@code future}; an {@link AssertionError} when it succeeds or does not complete in time. */
  public static Throwable failure(Future<?> future, Duration wait, String what) {
    try {
      future.toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no answer from " + what, e);
    }
  }
}
