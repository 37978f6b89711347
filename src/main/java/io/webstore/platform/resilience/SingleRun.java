package io.webstore.platform.resilience;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one way to keep a job from overlapping itself (a sweeper, a rebuild, a recovery scan, a reload): at most one run
 * of it at a time in this process. A caller either joins the run in progress ({@link #run}: every caller gets its
 * outcome) or skips when one is in progress ({@link #startIfIdle}: a periodic tick that finds the previous run still
 * going). Thread-safe; the run is over (and a new one may start) before anyone hears its outcome, so a handler may
 * start the next run at once (a backlog).
 *
 * @param <T> what a run yields
 */
public final class SingleRun<T> {

  private final AtomicReference<Future<T>> current = new AtomicReference<>();

  /** The run in progress, joined; or a new run of {@code job} when none is. */
  public Future<T> run(Supplier<Future<T>> job) {
    Promise<T> mine = Promise.promise();
    Future<T> running = current.compareAndExchange(null, mine.future());
    if (running != null) {
      return running;
    }
    start(job, mine);
    return mine.future();
  }

  /** A new run of {@code job}; empty (nothing started) when a run is in progress. */
  public Optional<Future<T>> startIfIdle(Supplier<Future<T>> job) {
    Promise<T> mine = Promise.promise();
    if (!current.compareAndSet(null, mine.future())) {
      return Optional.empty();
    }
    start(job, mine);
    return Optional.of(mine.future());
  }

  /** Whether a run is in progress. */
  public boolean running() {
    return current.get() != null;
  }

  private void start(Supplier<Future<T>> job, Promise<T> mine) {
    Future<T> outcome;
    try {
      outcome = Objects.requireNonNull(job.get(), "a job returned no future");
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(done -> {
      current.compareAndSet(mine.future(), null);
      mine.handle(done);
    });
  }
}
