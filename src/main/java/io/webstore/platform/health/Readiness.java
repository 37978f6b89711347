package io.webstore.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Readiness of the process: a lifecycle state (starting, ready, draining) plus one check per dependency, each with a
 * timeout. {@code /health/ready} is 200 only when the state is ready and every check is up.
 */
public final class Readiness {

  /** Where the process is in its life. */
  public enum State { STARTING, READY, DRAINING }

  private final HealthChecks checks;
  private final Duration timeout;
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

  public Readiness(Vertx vertx, Duration timeout) {
    this.checks = HealthChecks.create(vertx);
    this.timeout = timeout;
  }

  /** Registers a dependency check: the future fails (or times out) when the dependency is down. */
  public void register(String name, Supplier<Future<?>> probe) {
    checks.register(name, timeout.toMillis(), (Promise<Status> promise) -> {
      Future<?> outcome;
      try {
        outcome = probe.get();
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(result -> promise.tryComplete(result.succeeded()
          ? Status.OK()
          : Status.KO(new JsonObject().put("error", describe(result.cause())))));
    });
  }

  public void state(State next) {
    state.set(next);
  }

  public State state() {
    return state.get();
  }

  /** The full report: {@code status} UP/DOWN, {@code state}, and each check. */
  public Future<JsonObject> report() {
    return checks.checkStatus().map((CheckResult result) -> {
      JsonObject json = result.toJson();
      boolean up = result.getUp() && state.get() == State.READY;
      json.put("status", up ? "UP" : "DOWN").put("state", state.get().name().toLowerCase());
      json.remove("outcome");
      return json;
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
