package io.webstore.checkout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.error.Unavailable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Crash injection for the recovery tests: a decorator of the checkout saga's {@link SagaPorts} that stops a checkout
 * dead right after a named step's side effect, as if its process died there. The step's call succeeds at the feature
 * behind the port; the saga is then told it lost its lease (so it settles nothing: a dead process does not), and from
 * then on every port call fails without reaching anything, so nothing is compensated or recorded: the idempotency
 * record stays unfinished with its lease and the client gets a 503 naming the step. A test then stops that store and
 * lets the recovery of another finish or compensate the checkout; recovery runs over the plain ports.
 *
 * <p>Armed by config {@code checkout.faultStep} ({@link #startStore} for a store in this JVM, {@link CrashingStoreMain} for a
 * child JVM, where the key arrives as {@code WEBSTORE_CHECKOUT_FAULT_STEP}); production code knows nothing of it.
 */
final class CheckoutFaults {

  /** The points right after a side effect of the checkout, where a crash leaves the most to clean up. */
  enum Step {
    /** Stock is held; nothing recorded about it yet. */
    AFTER_HOLD(SagaPorts.Stock.class, "hold"),
    /** The payment is authorized; no order yet. */
    AFTER_PAYMENT(SagaPorts.Payments.class, "authorize"),
    /** The order is written; its stock is not committed. */
    AFTER_ORDER_WRITE(SagaPorts.Orders.class, "place"),
    /** The stock is committed; order confirmation, cart and the stored response are not done. */
    AFTER_STOCK_COMMIT(SagaPorts.Stock.class, "commit");

    private final Class<?> port;
    private final String call;

    Step(Class<?> port, String call) {
      this.port = port;
      this.call = call;
    }
  }

  private final Step step;
  private volatile boolean dead;

  private CheckoutFaults(Step step) {
    this.step = step;
  }

  /** The decorator that stops every checkout of the store dead after {@code step}. */
  static UnaryOperator<SagaPorts> crashAt(Step step) {
    return ports -> new CheckoutFaults(step).wrap(ports);
  }

  /** {@code checkout.faultStep} as configured ({@code none} or absent: no fault). */
  static Optional<Step> configured(String value) {
    return value == null || value.equalsIgnoreCase("none") ? Optional.empty()
        : Optional.of(Step.valueOf(value.toUpperCase(Locale.ROOT)));
  }

  /** Every feature, the checkout's armed with the configured step, if any. */
  static List<Feature> features(Optional<Step> step) {
    if (step.isEmpty()) {
      return Features.all();
    }
    return Features.all().stream()
        .map(feature -> feature instanceof CheckoutFeature ? new CheckoutFeature(crashAt(step.get())) : feature)
        .toList();
  }

  /**
   * Starts a store in this JVM on the shared engines with {@code overrides} above the test config, its checkout armed
   * by {@code checkout.faultStep} of the overrides; the caller stops it.
   */
  static WebStore startStore(JsonObject overrides) {
    Optional<Step> step = configured(overrides.getJsonObject("checkout", new JsonObject()).getString("faultStep"));
    WebStore store = io.webstore.testing.Engines.await(WebStore.start(Path.of("conf"),
        Map.of("WEBSTORE_PROFILE", "dev"), io.webstore.testing.Engines.shared().overrides().mergeIn(overrides, true),
        features(step)));
    io.webstore.testing.BusContract.shared().watch(store.vertx());
    return store;
  }

  private SagaPorts wrap(SagaPorts ports) {
    return new SagaPorts(wrap(SagaPorts.Carts.class, ports.carts()), wrap(SagaPorts.Prices.class, ports.prices()),
        wrap(SagaPorts.Stock.class, ports.stock()), wrap(SagaPorts.Payments.class, ports.payments()),
        wrap(SagaPorts.Orders.class, ports.orders()), wrap(IdempotencyStore.class, ports.records()),
        wrap(SagaPorts.Risk.class, ports.risk()));
  }

  /** Every call of {@code port} passes through until the process "dies"; the crash step's call then kills it. */
  private <T> T wrap(Class<T> port, T delegate) {
    return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(delegate, args);
      }
      if (dead) {
        return Future.failedFuture(new Unavailable("checkout stopped at " + step + " (checkout.faultStep)"));
      }
      Future<?> result;
      try {
        result = (Future<?>) method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (port != step.port || !method.getName().equals(step.call)) {
        return result;
      }
      return result.compose(done -> {
        dead = true;
        return Future.failedFuture(new LeaseLost("stopped at " + step));
      });
    }));
  }
}
