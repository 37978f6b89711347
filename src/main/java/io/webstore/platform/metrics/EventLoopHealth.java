package io.webstore.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadChecker;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the event loops keep up, in {@code /metrics}:
 *
 * <ul>
 *   <li>{@value #DELAY} (tag {@code loop}): every {@link #PROBE_INTERVAL} each event loop runs a task it scheduled
 *       for that moment and records how late it ran. A loop busy with work (or blocked) delays every request it owns
 *       by as much; the max and the buckets show it long before Vert.x's blocked-thread warning (2 s).
 *   <li>{@value #BLOCKED} (tag {@code thread}: {@code event-loop}, {@code worker}, {@code other}): Vert.x's
 *       blocked-thread warnings, counted. Each is still logged as Vert.x logs it (same logger, same text, the stack
 *       trace past the warning-exception time).
 * </ul>
 */
public final class EventLoopHealth {

  /** Lateness of the probe task, per event loop. */
  public static final String DELAY = "webstore.eventloop.delay";
  /** Blocked-thread warnings. */
  public static final String BLOCKED = "webstore.eventloop.blocked";
  /** How often each loop is probed: 5 tasks a second per loop cost nothing measurable. */
  public static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

  private static final Logger blockedLog = LoggerFactory.getLogger(BlockedThreadChecker.LOGGER_NAME);

  private EventLoopHealth() {}

  /** Starts the probes on every event loop of {@code vertx} and counts its blocked-thread warnings. */
  public static void install(Vertx vertx, MeterRegistry meters) {
    VertxInternal internal = (VertxInternal) vertx;
    int index = 0;
    for (EventExecutor loop : internal.eventLoopGroup()) {
      Timer delay = Timer.builder(DELAY)
          .description("How late a task scheduled on this event loop ran")
          .tag("loop", Integer.toString(index++))
          .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20),
              Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2))
          .register(meters);
      probe(loop, delay);
    }
    List<Counter> blocked = new ArrayList<>();
    for (String kind : List.of("event-loop", "worker", "other")) {
      blocked.add(Counter.builder(BLOCKED).description("Vert.x blocked-thread warnings")
          .tag("thread", kind).register(meters));
    }
    internal.blockedThreadChecker().setThreadBlockedHandler(event -> {
      String name = event.thread().getName();
      blocked.get(name.startsWith("vert.x-eventloop") ? 0
          : name.startsWith("vert.x-worker") || name.startsWith("vert.x-internal-blocking") ? 1 : 2).increment();
      logBlocked(event);
    });
  }

  private static void probe(EventExecutor loop, Timer delay) {
    long due = System.nanoTime() + PROBE_INTERVAL.toNanos();
    try {
      loop.schedule(() -> {
        delay.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
        if (!loop.isShuttingDown()) {
          probe(loop, delay); // the next one from now: a stall is one late sample, not a burst of them
        }
      }, PROBE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // Vert.x is closing: no more probes
    }
  }

  /** As Vert.x's own handler, which this one replaces. */
  private static void logBlocked(BlockedThreadEvent event) {
    String message = "Thread " + event.thread().getName() + " has been blocked for " + event.duration() / 1_000_000
        + " ms, time limit is " + event.maxExecTime() / 1_000_000 + " ms";
    if (event.duration() <= event.warningExceptionTime()) {
      blockedLog.warn(message);
    } else {
      VertxException stack = new VertxException("Thread blocked");
      stack.setStackTrace(event.thread().getStackTrace());
      blockedLog.warn(message, stack);
    }
  }
}
