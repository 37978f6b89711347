package io.webstore.platform.resilience;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one way to keep a job from overlapping itself (a sweeper, a rebuild, a recovery scan, a reload): at most one run
 * of it at a time in this process. A caller either
 * <ul>
 *   <li>joins the run in progress ({@link #run}: every caller meanwhile gets that run's outcome),</li>
 *   <li>skips when one is in progress ({@link #startIfIdle}: a periodic tick that finds the last run still going), or
 *   </li>
 *   <li>asks for a run that starts after it asked ({@link #runFresh}: one more run after the current one, shared by
 *       every caller that asks meanwhile; for a reload whose caller must see what changed before it asked).</li>
 * </ul>
 * Thread-safe without locks. A run is over (and the next may start) before anyone hears its outcome, so a handler may
 * start the next run at once (a backlog).
 *
 * @param <T> what a run yields
 */
public final class SingleRun<T> {

  /** The run in progress and, if asked for, the one to start after it. */
  private record State<T>(Future<T> current, Promise<T> next, Supplier<Future<T>> nextJob) {}

  private final AtomicReference<State<T>> state = new AtomicReference<>();

  /** The run in progress, joined; or a new run of {@code job} when none is. */
  public Future<T> run(Supplier<Future<T>> job) {
    while (true) {
      State<T> now = state.get();
      if (now != null) {
        return now.current();
      }
      Promise<T> mine = Promise.promise();
      if (state.compareAndSet(null, new State<>(mine.future(), null, null))) {
        start(job, mine);
        return mine.future();
      }
    }
  }

  /** A new run of {@code job}; empty (nothing started) when a run is in progress. */
  public Optional<Future<T>> startIfIdle(Supplier<Future<T>> job) {
    Promise<T> mine = Promise.promise();
    if (!state.compareAndSet(null, new State<>(mine.future(), null, null))) {
      return Optional.empty();
    }
    start(job, mine);
    return Optional.of(mine.future());
  }

  /**
   * A run that starts no earlier than this call: a new run of {@code job} when none is in progress; otherwise the one
   * run that follows the current one, shared by every caller that asks while the current one runs.
   */
  public Future<T> runFresh(Supplier<Future<T>> job) {
    while (true) {
      State<T> now = state.get();
      if (now == null) {
        Promise<T> mine = Promise.promise();
        if (state.compareAndSet(null, new State<>(mine.future(), null, null))) {
          start(job, mine);
          return mine.future();
        }
      } else if (now.next() != null) {
        return now.next().future();
      } else {
        Promise<T> next = Promise.promise();
        if (state.compareAndSet(now, new State<>(now.current(), next, job))) {
          return next.future();
        }
      }
    }
  }

  /** Whether a run is in progress. */
  public boolean running() {
    return state.get() != null;
  }

  private void start(Supplier<Future<T>> job, Promise<T> mine) {
    Future<T> outcome;
    try {
      outcome = Objects.requireNonNull(job.get(), "a job returned no future");
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(done -> {
      State<T> follow = finish();
      mine.handle(done);
      if (follow != null) {
        start(follow.nextJob(), follow.next());
      }
    });
  }

  /** Ends the current run; the state of the follow-up run to start, if one was asked for. */
  private State<T> finish() {
    while (true) {
      State<T> now = state.get();
      if (now.next() == null) {
        if (state.compareAndSet(now, null)) {
          return null;
        }
      } else if (state.compareAndSet(now, new State<>(now.next().future(), null, null))) {
        return now;
      }
    }
  }
}
