package io.webstore.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.webstore.platform.error.Unavailable;
import io.webstore.testing.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bulkhead: a bounded number in flight, a bounded FIFO queue with a timeout, refusal when full. */
class BulkheadTest {

  private final MeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void runsAtMostMaxInFlightAndQueuesTheRestInOrder() {
    Bulkhead bulkhead = Bulkhead.of("test store", 2, 10, Duration.ofMinutes(1), meters);
    List<Promise<Integer>> running = new ArrayList<>();
    List<Integer> startOrder = new ArrayList<>();
    List<Future<Integer>> results = new ArrayList<>();
    for (int call = 0; call < 5; call++) {
      int id = call;
      results.add(bulkhead.run(() -> {
        startOrder.add(id);
        Promise<Integer> promise = Promise.promise();
        running.add(promise);
        return promise.future();
      }));
    }
    assertThat(startOrder).containsExactly(0, 1);
    assertThat(bulkhead.inFlight()).isEqualTo(2);
    assertThat(bulkhead.queued()).isEqualTo(3);

    running.get(1).complete(1);
    assertThat(results.get(1).result()).isEqualTo(1);
    assertThat(startOrder).containsExactly(0, 1, 2);
    running.get(0).complete(0);
    running.get(2).complete(2);
    assertThat(startOrder).containsExactly(0, 1, 2, 3, 4);
    running.get(3).fail(new IllegalStateException("broke"));
    running.get(4).complete(4);
    assertThat(results.get(3).cause()).hasMessage("broke");
    assertThat(results.get(4).result()).isEqualTo(4);
    assertThat(bulkhead.inFlight()).isZero();
    assertThat(bulkhead.queued()).isZero();
  }

  @Test
  void aFullQueueRefusesAtOnceWithUnavailable() {
    Bulkhead bulkhead = Bulkhead.of("stock ledger", 1, 1, Duration.ofMinutes(1), meters);
    Promise<String> blocker = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    bulkhead.run(() -> {
      started.incrementAndGet();
      return blocker.future();
    });
    Future<String> queued = bulkhead.run(() -> {
      started.incrementAndGet();
      return Future.succeededFuture("queued");
    });
    Future<String> refused = bulkhead.run(() -> {
      started.incrementAndGet();
      return Future.succeededFuture("never");
    });
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(Unavailable.class)
        .hasMessage("the stock ledger is saturated; retry shortly");
    assertThat(rejected("stock ledger", "full")).isEqualTo(1);

    blocker.complete("done");
    assertThat(queued.result()).isEqualTo("queued");
    assertThat(started).hasValue(2); // the refused call was never sent
  }

  @Test
  void aCallThatWaitedPastTheQueueTimeoutIsRefusedUnsent() {
    Bulkhead bulkhead = Bulkhead.of("records", 1, 5, Duration.ZERO, meters); // every wait is too long
    Promise<String> blocker = Promise.promise();
    bulkhead.run(blocker::future);
    AtomicInteger sent = new AtomicInteger();
    Future<String> late = bulkhead.run(() -> {
      sent.incrementAndGet();
      return Future.succeededFuture("late");
    });
    assertThat(late.isComplete()).isFalse();
    blocker.complete("done");
    assertThat(late.failed()).isTrue();
    assertThat(late.cause()).isInstanceOf(Unavailable.class);
    assertThat(sent).hasValue(0);
    assertThat(rejected("records", "queue_timeout")).isEqualTo(1);
    assertThat(bulkhead.run(() -> Future.succeededFuture("free again")).result()).isEqualTo("free again");
  }

  @Test
  void callsFromManyThreadsNeverExceedTheLimitAndAllFinish() throws InterruptedException {
    int maxInFlight = 4;
    Bulkhead bulkhead = Bulkhead.of("shared", maxInFlight, 10_000, Duration.ofMinutes(1), meters);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Queue<Promise<Void>> open = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        for (int call = 0; call < 500; call++) {
          bulkhead.run(() -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Promise<Void> promise = Promise.promise();
            open.add(promise);
            return promise.future().andThen(done -> inFlight.decrementAndGet());
          }).onComplete(done -> finished.incrementAndGet());
          Promise<Void> next = open.poll(); // finish calls from other threads as they come
          if (next != null) {
            next.complete();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Deadline.await("every call finished", Duration.ofSeconds(10), () -> {
      for (Promise<Void> next = open.poll(); next != null; next = open.poll()) {
        next.complete(); // each completion starts the next queued call, which opens another
      }
      return finished.get() == 8 * 500;
    });
    assertThat(peak.get()).isLessThanOrEqualTo(maxInFlight);
    assertThat(bulkhead.inFlight()).isZero();
    assertThat(bulkhead.queued()).isZero();
  }

  private double rejected(String bulkhead, String reason) {
    return meters.get("webstore.resilience.bulkhead.rejected").tag("bulkhead", bulkhead).tag("reason", reason)
        .counter().count();
  }
}
