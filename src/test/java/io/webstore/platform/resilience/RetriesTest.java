package io.webstore.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The retry helper: bounded attempts, a predicate, jittered exponential backoff on Vert.x timers, a metric. */
@ExtendWith(VertxExtension.class)
class RetriesTest {

  private static final class Transient extends RuntimeException {
    Transient(String message) {
      super(message, null, false, false);
    }
  }

  private final MeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void retriesARetryableFailureUntilItSucceeds(Vertx vertx, VertxTestContext test) {
    AtomicInteger calls = new AtomicInteger();
    Retries retries = Retries.named("flaky").attempts(3).backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .retryIf(err -> err instanceof Transient).metered(meters).build(vertx);
    retries.run(() -> calls.incrementAndGet() < 3
            ? Future.failedFuture(new Transient("try " + calls.get()))
            : Future.succeededFuture("done"))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result).isEqualTo("done");
          assertThat(calls).hasValue(3);
          assertThat(count("flaky", "succeeded_after_retry")).isEqualTo(1);
          test.completeNow();
        })));
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheLastFailure(Vertx vertx, VertxTestContext test) {
    AtomicInteger calls = new AtomicInteger();
    Retries retries = Retries.named("down").attempts(4).backoff(Duration.ofMillis(1), Duration.ofMillis(4))
        .metered(meters).build(vertx);
    retries.<String>run(() -> Future.failedFuture(new Transient("failure " + calls.incrementAndGet())))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(Transient.class).hasMessage("failure 4");
          assertThat(calls).hasValue(4);
          assertThat(count("down", "failed_after_retries")).isEqualTo(1);
          test.completeNow();
        })));
  }

  @Test
  void doesNotRetryWhatThePredicateRefuses(Vertx vertx, VertxTestContext test) {
    AtomicInteger calls = new AtomicInteger();
    Retries retries = Retries.named("refused").attempts(5).retryIf(err -> err instanceof Transient)
        .metered(meters).build(vertx);
    retries.<String>run(() -> {
          calls.incrementAndGet();
          throw new IllegalArgumentException("bad request"); // a thrown exception is the call's failure
        })
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(IllegalArgumentException.class);
          assertThat(calls).hasValue(1);
          assertThat(count("refused", "failed_not_retryable")).isEqualTo(1);
          test.completeNow();
        })));
  }

  @Test
  void waitsOnTimersOfTheCallersContextAndBacksOffExponentially(Vertx vertx, VertxTestContext test) {
    List<Long> startedNanos = new CopyOnWriteArrayList<>();
    List<Context> contexts = new CopyOnWriteArrayList<>();
    Retries retries = Retries.named("timed").attempts(4).backoff(Duration.ofMillis(20), Duration.ofMillis(40))
        .build(vertx);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(start -> retries.run(() -> {
          startedNanos.add(System.nanoTime());
          contexts.add(Vertx.currentContext());
          return startedNanos.size() < 4 ? Future.failedFuture(new Transient("again")) : Future.succeededFuture(1);
        })
        .onComplete(test.succeeding(done -> test.verify(() -> {
          assertThat(contexts).hasSize(4).allSatisfy(each -> assertThat(each).isSameAs(context));
          // waits are at least half of 20, 40 (doubled), 40 (capped) ms: a timer never fires early
          long[] atLeastMs = {10, 20, 20};
          for (int retry = 0; retry < 3; retry++) {
            long waitedMs = (startedNanos.get(retry + 1) - startedNanos.get(retry)) / 1_000_000;
            assertThat(waitedMs).as("wait before attempt %d", retry + 2).isGreaterThanOrEqualTo(atLeastMs[retry]);
          }
          test.completeNow();
        }))));
  }

  @Test
  void theBackoffIsBetweenHalfAndAllOfTheCappedExponentialStep() {
    IntervalFunction backoff = Retries.equalJitter(Duration.ofMillis(100), Duration.ofMillis(1_600));
    for (int attempt = 1; attempt <= 12; attempt++) {
      long step = Math.min(1_600, 100L << Math.min(attempt - 1, 20));
      for (int sample = 0; sample < 500; sample++) {
        assertThat(backoff.apply(attempt)).as("attempt %d", attempt).isBetween(step / 2 - 1, step + 1);
      }
    }
  }

  @Test
  void beforeRetryMayShortenTheWaitOrGiveUp(Vertx vertx, VertxTestContext test) {
    AtomicInteger calls = new AtomicInteger();
    List<Long> offered = new CopyOnWriteArrayList<>();
    Retries retries = Retries.named("deadline").attempts(Integer.MAX_VALUE)
        .backoff(Duration.ofSeconds(10), Duration.ofSeconds(10))
        .beforeRetry((attempt, failure, backoffMs) -> {
          offered.add(backoffMs);
          return attempt < 3 ? 1 : -1; // a deadline: short waits, then stop
        })
        .build(vertx);
    retries.<String>run(() -> Future.failedFuture(new Transient("failure " + calls.incrementAndGet())))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).hasMessage("failure 3");
          assertThat(calls).hasValue(3);
          assertThat(offered).hasSize(3).allSatisfy(ms -> assertThat(ms).isBetween(5_000L, 10_000L));
          test.completeNow();
        })));
  }

  @Test
  void withoutBackoffTheNextAttemptFollowsAtOnce(Vertx vertx, VertxTestContext test) {
    AtomicInteger calls = new AtomicInteger();
    Retries retries = Retries.named("immediate").attempts(3).noBackoff().build(vertx);
    Future<String> outcome = retries.run(() -> calls.incrementAndGet() < 3
        ? Future.failedFuture(new Transient("lost a race"))
        : Future.succeededFuture("won"));
    test.verify(() -> {
      assertThat(outcome.isComplete()).as("no timer between attempts").isTrue();
      assertThat(outcome.result()).isEqualTo("won");
    });
    test.completeNow();
  }

  private double count(String retry, String outcome) {
    return meters.get("webstore.resilience.retry.calls").tag("retry", retry).tag("outcome", outcome).counter()
        .count();
  }
}
