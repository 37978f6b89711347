package io.webstore.platform.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Readiness of the process: a lifecycle state (starting, ready, draining) plus one check per dependency, each with a
 * timeout. The process is ready when the state is ready and every <em>critical</em> check is up; non-critical checks
 * (systems the serving path does not need, such as the queues we publish to) are reported but never make it
 * unready. One evaluation of the checks is shared by every caller for {@code cacheTtl}, so a flood of readiness
 * requests costs the dependencies at most one round of probes per period (counted by {@code
 * webstore.health.evaluations}).
 */
public final class Readiness {

  /** Where the process is in its life. */
  public enum State { STARTING, READY, DRAINING }

  /** The outcome of one check in one evaluation. */
  public record CheckResult(String name, boolean critical, boolean up, long durationMs, String error) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", name).put("status", up ? "UP" : "DOWN")
          .put("critical", critical).put("duration_ms", durationMs);
      return error == null ? json : json.put("error", error);
    }
  }

  /** One evaluation: whether the process is ready, its state, when the checks ran and what each said. */
  public record Report(boolean up, State state, Instant checkedAt, List<CheckResult> checks) {

    /** The detailed document (management port only: it names dependencies and their errors). */
    public JsonObject toJson() {
      JsonArray items = new JsonArray();
      checks.forEach(check -> items.add(check.toJson()));
      return new JsonObject().put("status", up ? "UP" : "DOWN").put("state", state.name().toLowerCase())
          .put("checked_at", checkedAt.toString()).put("checks", items);
    }
  }

  private record Check(String name, boolean critical, Supplier<Future<?>> probe) {}

  private record Evaluation(long startedNanos, Instant checkedAt, Future<List<CheckResult>> results) {}

  private final Vertx vertx;
  private final Duration timeout;
  private final long cacheTtlNanos;
  private final MeterRegistry meters;
  private final Counter evaluations;
  private final List<Check> checks = new CopyOnWriteArrayList<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final AtomicReference<Evaluation> latest = new AtomicReference<>();

  /**
   * @param timeout how long one check may take before it counts as down ({@code health.checkTimeoutMs})
   * @param cacheTtl how long one evaluation answers every caller ({@code health.cacheTtlMs}; 0 = every call probes)
   */
  public Readiness(Vertx vertx, Duration timeout, Duration cacheTtl, MeterRegistry meters) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.cacheTtlNanos = cacheTtl.toNanos();
    this.meters = meters;
    this.evaluations = Counter.builder("webstore.health.evaluations")
        .description("rounds of readiness probes actually run (cached rounds are not counted)").register(meters);
  }

  /** Registers a check the serving path needs: the future fails (or times out) when the dependency is down. */
  public void register(String name, Supplier<Future<?>> probe) {
    checks.add(new Check(name, true, probe));
  }

  /** Registers a check that is reported in the details but never makes the process unready. */
  public void registerNonCritical(String name, Supplier<Future<?>> probe) {
    checks.add(new Check(name, false, probe));
  }

  public void state(State next) {
    state.set(next);
  }

  public State state() {
    return state.get();
  }

  /**
   * The current report, from the evaluation of the last {@code cacheTtl} (or a new one). The lifecycle state is
   * always the current one: draining turns readiness down at once, whatever is cached.
   */
  public Future<Report> report() {
    Evaluation evaluation = currentEvaluation();
    return Future.fromCompletionStage(evaluation.results().toCompletionStage(), vertx.getOrCreateContext())
        .map(results -> {
          State now = state.get();
          boolean up = now == State.READY && results.stream().allMatch(check -> check.up() || !check.critical());
          return new Report(up, now, evaluation.checkedAt(), results);
        });
  }

  private Evaluation currentEvaluation() {
    while (true) {
      Evaluation current = latest.get();
      long now = System.nanoTime();
      if (current != null && (!current.results().isComplete() || now - current.startedNanos() < cacheTtlNanos)) {
        return current; // still running, or fresh enough: every caller shares it
      }
      Promise<List<CheckResult>> results = Promise.promise();
      Evaluation next = new Evaluation(now, Instant.now(), results.future());
      if (latest.compareAndSet(current, next)) { // only the winner probes; the others share its promise
        evaluate().onComplete(results);
        return next;
      }
    }
  }

  private Future<List<CheckResult>> evaluate() {
    evaluations.increment();
    List<Future<CheckResult>> running = checks.stream().map(this::run).toList();
    return Future.join(running).map(done -> running.stream().map(Future::result).toList());
  }

  private Future<CheckResult> run(Check check) {
    long started = System.nanoTime();
    Future<?> outcome;
    try {
      outcome = check.probe().get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).transform(result -> {
      long nanos = System.nanoTime() - started;
      Timer.builder("webstore.health.check").tag("check", check.name())
          .tag("outcome", result.succeeded() ? "up" : "down").register(meters)
          .record(nanos, TimeUnit.NANOSECONDS);
      return Future.succeededFuture(new CheckResult(check.name(), check.critical(), result.succeeded(),
          TimeUnit.NANOSECONDS.toMillis(nanos), result.succeeded() ? null : describe(result.cause())));
    });
  }

  private static String describe(Throwable err) {
    if (err == null) {
      return "down";
    }
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
