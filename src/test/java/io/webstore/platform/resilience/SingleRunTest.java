package io.webstore.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One run at a time: callers join the run in progress, or skip it; the next run may start from its outcome. */
class SingleRunTest {

  @Test
  void callersDuringARunShareItsOutcome() {
    SingleRun<String> rebuilds = new SingleRun<>();
    List<Promise<String>> started = new ArrayList<>();
    Future<String> first = rebuilds.run(() -> started(started));
    Future<String> second = rebuilds.run(() -> started(started));
    assertThat(started).hasSize(1);
    assertThat(second).isSameAs(first);
    assertThat(rebuilds.running()).isTrue();

    started.get(0).complete("rebuilt");
    assertThat(first.result()).isEqualTo("rebuilt");
    assertThat(rebuilds.running()).isFalse();

    Future<String> third = rebuilds.run(() -> started(started));
    assertThat(started).hasSize(2);
    assertThat(third).isNotSameAs(first);
    assertThat(third.isComplete()).isFalse();
  }

  @Test
  void aTickDuringARunStartsNothing() {
    SingleRun<Integer> sweeps = new SingleRun<>();
    List<Promise<Integer>> started = new ArrayList<>();
    Optional<Future<Integer>> first = sweeps.startIfIdle(() -> started(started));
    Optional<Future<Integer>> tick = sweeps.startIfIdle(() -> started(started));
    assertThat(first).isPresent();
    assertThat(tick).isEmpty();
    assertThat(started).hasSize(1);

    started.get(0).fail(new IllegalStateException("engine down"));
    assertThat(first.get().failed()).isTrue();
    assertThat(sweeps.startIfIdle(() -> started(started))).isPresent(); // a failed run does not stick
    assertThat(started).hasSize(2);
  }

  @Test
  void aRunIsOverBeforeItsOutcomeIsHeardSoABacklogCanStartTheNext() {
    SingleRun<Integer> sweeps = new SingleRun<>();
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger backlog = new AtomicInteger(3);
    sweep(sweeps, runs, backlog);
    assertThat(runs).hasValue(4); // three batches of backlog, then one that found nothing
    assertThat(sweeps.running()).isFalse();
  }

  @Test
  void aJobThatThrowsFailsItsRunAndFreesTheGuard() {
    SingleRun<String> reloads = new SingleRun<>();
    Future<String> thrown = reloads.run(() -> {
      throw new IllegalStateException("no table");
    });
    assertThat(thrown.failed()).isTrue();
    assertThat(thrown.cause()).hasMessage("no table");
    assertThat(reloads.running()).isFalse();
    assertThat(reloads.run(() -> Future.succeededFuture("loaded")).result()).isEqualTo("loaded");
  }

  @Test
  void aFreshRunStartsAfterTheCurrentOneAndIsSharedByEveryoneWhoAskedMeanwhile() {
    SingleRun<Integer> reloads = new SingleRun<>();
    List<Promise<Integer>> started = new ArrayList<>();
    Future<Integer> first = reloads.runFresh(() -> started(started));
    Future<Integer> second = reloads.runFresh(() -> started(started));
    Future<Integer> third = reloads.runFresh(() -> started(started));
    Future<Integer> joined = reloads.run(() -> started(started));
    assertThat(started).hasSize(1);
    assertThat(joined).isSameAs(first); // joining takes the run in progress
    assertThat(third).isSameAs(second).isNotSameAs(first);

    started.get(0).complete(1);
    assertThat(first.result()).isEqualTo(1);
    assertThat(second.isComplete()).as("the follow-up run has started, not finished").isFalse();
    assertThat(started).hasSize(2);
    assertThat(reloads.running()).isTrue();

    started.get(1).complete(2);
    assertThat(second.result()).isEqualTo(2);
    assertThat(reloads.running()).isFalse();
    assertThat(started).hasSize(2);
  }

  @Test
  void freshRunsFromManyThreadsNeverOverlap() throws InterruptedException {
    SingleRun<Void> reloads = new SingleRun<>();
    AtomicInteger inRun = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      Thread thread = new Thread(() -> {
        for (int call = 0; call < 2_000; call++) {
          reloads.runFresh(() -> {
            if (inRun.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            inRun.decrementAndGet();
            return Future.succeededFuture();
          }).onComplete(done -> finished.incrementAndGet());
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(overlaps).hasValue(0);
    assertThat(finished).hasValue(6 * 2_000);
    assertThat(reloads.running()).isFalse();
  }

  private static void sweep(SingleRun<Integer> sweeps, AtomicInteger runs, AtomicInteger backlog) {
    sweeps.startIfIdle(() -> {
      runs.incrementAndGet();
      return Future.succeededFuture(backlog.getAndUpdate(left -> Math.max(0, left - 1)));
    }).ifPresent(swept -> swept.onSuccess(found -> {
      if (found > 0) {
        sweep(sweeps, runs, backlog);
      }
    }));
  }

  private static <T> Future<T> started(List<Promise<T>> started) {
    Promise<T> promise = Promise.promise();
    started.add(promise);
    return promise.future();
  }
}
