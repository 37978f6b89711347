package io.webstore.checkout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.Unavailable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ways a checkout ends, shared by the live request and the recovery. The order item decides: before it
 * exists a checkout is {@linkplain #rollBack rolled back} (payment voided, hold released, sale allowance returned,
 * failure stored, cart claim released); once it exists the checkout is {@linkplain #complete completed} (stock
 * committed, which uses the hold up, the ordered units removed from the cart with its claim, 201 stored; the order
 * itself is not written again, see {@link #complete}). {@link #resolve} first burns the order id if no order has it, so a
 * request still running somewhere can no longer write it, and then takes whichever way the order item says. Every call
 * made here is idempotent, so any of them may be repeated after a crash.
 */
final class Settlement {

  private static final Logger log = LoggerFactory.getLogger(Settlement.class);

  /** What a checkout may have done so far, so that a rollback undoes exactly that. */
  record Undo(boolean cart, boolean saleLimits, boolean hold, boolean payment) {
    /** Everything: for a checkout found unfinished, whose progress is not known in this process. */
    static final Undo ALL = new Undo(true, true, true, true);
  }

  private final IdempotencyStore records;
  private final SagaPorts.Orders orders;
  private final SagaPorts.Stock stock;
  private final SagaPorts.Payments payments;
  private final SagaPorts.Carts carts;

  Settlement(SagaPorts ports) {
    this.records = ports.records();
    this.orders = ports.orders();
    this.stock = ports.stock();
    this.payments = ports.payments();
    this.carts = ports.carts();
  }

  /** The answer of a checkout interrupted before its order existed, and rolled back. */
  static Unavailable interrupted() {
    return new Unavailable("the checkout was interrupted and has been rolled back; nothing was charged; place the "
        + "order again with a new Idempotency-Key");
  }

  /** Finishes or rolls back a checkout of unknown progress (its lease held by {@code record.leaseOwner()}). */
  Future<StoredResponse> resolve(IdempotencyRecord record, Undo undo) {
    return orders.abort(record.ids().orderId()).compose(existing -> existing.isPresent()
        ? complete(record, existing.get())
        : rollBack(record, undo, interrupted()));
  }

  /** Undoes what the checkout did, then stores {@code answer} as its response, final for the key. */
  Future<StoredResponse> rollBack(IdempotencyRecord record, Undo undo, DomainException answer) {
    return rollBack(record, undo, answer, CheckoutStep.FAILED);
  }

  /**
   * Undoes what the checkout did, then stores {@code answer} as its response with {@code step}: {@link
   * CheckoutStep#FAILED} (final for the key) or {@link CheckoutStep#RETRYABLE} (a retry with the key runs again).
   */
  Future<StoredResponse> rollBack(IdempotencyRecord record, Undo undo, DomainException answer, CheckoutStep step) {
    StoredResponse response = CheckoutJson.problem(answer);
    return undo(record, undo)
        .compose(undone -> records.finish(record, step, response))
        .onSuccess(done -> {
          // a flash sale turns most buyers away: those are expected, the other rollbacks are worth a line each
          if (answer instanceof OutOfStock) {
            log.debug("checkout.rolled_back checkout={} status={} reason={}", record.ids().orderId(),
                response.status(), answer.kind().slug());
          } else {
            log.info("checkout.rolled_back checkout={} status={} reason={}", record.ids().orderId(),
                response.status(), answer.kind().slug());
          }
        })
        .map(response);
  }

  /**
   * Voids the payment, releases the hold, returns the sale allowance and then releases the cart claim (lines kept),
   * as far as {@code undo} says. The cart comes last: a new checkout of it finds the stock back.
   */
  Future<Void> undo(IdempotencyRecord record, Undo undo) {
    Future<Void> chain = Future.succeededFuture();
    if (undo.payment()) {
      chain = chain.compose(v -> payments.voidAuthorization(record.ids().paymentKey()));
    }
    if (undo.hold()) {
      chain = chain.compose(v -> stock.release(record.ids().holdId()));
    }
    List<SaleClaim> claims = record.plan().map(CheckoutPlan::claims).orElse(List.of());
    if (undo.saleLimits() && !claims.isEmpty()) {
      chain = chain.compose(v -> orders.releaseSaleLimits(record.customerId(), record.ids().claimId(), claims));
    }
    if (undo.cart()) {
      chain = chain.compose(v -> carts.release(record.customerId(), record.ids().claimId()));
    }
    return chain;
  }

  /**
   * Completes a checkout whose order exists. The commit uses the hold up (a committed hold is never released, and
   * recovery commits again after a crash: no hold is left behind). Should its stock no longer be committable (the hold
   * was released or expired, which takes an outage longer than the hold's TTL), the order is abandoned instead
   * (cancelled without restock, payment voided, allowance returned) and a 409 stored.
   */
  Future<StoredResponse> complete(IdempotencyRecord record, Order order) {
    return stock.commit(record.ids().holdId()).transform(committed -> {
      if (committed.succeeded()) {
        // the order is not written again: it keeps its checkout_pending marker, and its first move (a cancel, a
        // payment, a shipment) rolls this commit forward (a success now) and clears it in that move's own write
        // exactly the ordered units leave the cart, with the claim; a failure leaves the checkout unfinished so that it
        // is retried (by resolve or recovery): a claim left behind would block the cart
        return carts.removeOrdered(record.customerId(), record.ids().claimId(), units(order))
            .compose(v -> {
              StoredResponse created = CheckoutJson.created(order);
              return records.finish(record, CheckoutStep.DONE, created).map(created);
            });
      }
      Throwable err = committed.cause();
      if (err instanceof Conflict || err instanceof NotFound) {
        return abandon(record, order, err);
      }
      return Future.failedFuture(err);
    });
  }

  private static Map<String, Integer> units(Order order) {
    Map<String, Integer> units = new LinkedHashMap<>();
    order.lines().forEach(line -> units.merge(line.sku(), line.quantity(), Integer::sum));
    return units;
  }

  private Future<StoredResponse> abandon(IdempotencyRecord record, Order order, Throwable why) {
    log.warn("checkout.abandoning checkout={} reason={}", order.id(), why.getMessage());
    OutOfStock answer = new OutOfStock("the held units could not be committed; the order was cancelled and "
        + "nothing was charged", new JsonArray(order.lines().stream().map(OrderLine::sku).toList()));
    StoredResponse response = CheckoutJson.problem(answer);
    return orders.abandon(order.id())
        .compose(cancelled -> stock.release(record.ids().holdId()))
        .compose(released -> carts.release(record.customerId(), record.ids().claimId()))
        .compose(released -> records.finish(record, CheckoutStep.FAILED, response))
        .map(response);
  }
}
