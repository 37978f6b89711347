package io.webstore.checkout;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Crash injection for recovery tests, inert unless configured. The live checkout calls {@link #reached} right after
 * each named step's side effect; the {@link #none} default does nothing. {@link #crashAt} (config key {@code
 * checkout.faultStep}, read at start) makes the flow stop dead at that step exactly as if the process died there: it
 * fails with {@link SimulatedCrash}, which the flow neither compensates nor records, so the idempotency record stays
 * unfinished with its lease, and the client gets a 503. A test then stops that store and lets the recovery of another
 * instance finish or compensate the checkout. Recovery itself never consults the faults.
 */
public interface CheckoutFaults {

  /** The points right after a side effect of the checkout, where a crash leaves the most to clean up. */
  enum Step {
    /** Stock is held; nothing recorded about it yet. */
    AFTER_HOLD,
    /** The payment is authorized; no order yet. */
    AFTER_PAYMENT,
    /** The order is written; its stock is not committed. */
    AFTER_ORDER_WRITE,
    /** The stock is committed; holds, order confirmation, cart and the stored response are not done. */
    AFTER_STOCK_COMMIT
  }

  /** Completes to go on; fails with {@link SimulatedCrash} to stop the flow dead. */
  Future<Void> reached(Step step);

  static CheckoutFaults none() {
    return step -> Future.succeededFuture();
  }

  static CheckoutFaults crashAt(Step crashStep) {
    return step -> step == crashStep ? Future.failedFuture(new SimulatedCrash(step)) : Future.succeededFuture();
  }

  /** {@link #crashAt} the configured step, or {@link #none}. */
  static CheckoutFaults of(Optional<Step> configured) {
    return configured.map(CheckoutFaults::crashAt).orElseGet(CheckoutFaults::none);
  }

  /** The flow stopped at {@code step} by configuration, as if the process had died. */
  final class SimulatedCrash extends RuntimeException {
    private final Step step;

    public SimulatedCrash(Step step) {
      super("checkout stopped at " + step + " (checkout.faultStep)", null, false, false);
      this.step = step;
    }

    public Step step() {
      return step;
    }
  }
}
