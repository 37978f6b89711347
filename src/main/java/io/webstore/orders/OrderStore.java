package io.webstore.orders;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Orders, one item each, written only by conditional single-item operations. Every status change appends its event to
 * the item's outbox (for the outbox relay), in the same write.
 */
interface OrderStore {

  /**
   * Writes a new order once. A repeat for the same checkout returns the stored order; fails {@code Conflict} when the
   * id was {@linkplain #abort aborted} or belongs to another checkout.
   */
  Future<Order> place(Order order);

  /**
   * Burns an order id that has no order yet, so a late {@link #place} of it fails. Returns empty when the id is (now)
   * aborted, or the order that exists.
   */
  Future<Optional<Order>> abort(String orderId);

  /** The order; {@code NotFound} when there is none (aborted ids included). */
  Future<Order> find(String orderId);

  /**
   * Moves {@code current} to {@code next} if the stored order is still at {@code current.status()} and, when {@code
   * current.checkoutPending()}, still pending (the move then keeps the marker); otherwise {@code Conflict}. A
   * {@code current} that is not pending says its stock is committed: the move clears a marker the checkout left. Entering
   * a status that {@linkplain OrderStatus#releasesOrder releases} the order also marks it as owing compensation.
   */
  Future<Order> transition(Order current, OrderStatus next, Instant at);

  /** The order and the sequence of the last status report applied to it; {@code NotFound} like {@link #find}. */
  Future<SequencedOrder> findSequenced(String orderId);

  /**
   * Like {@link #transition(Order, OrderStatus, Instant)}, and only if the stored status sequence is below {@code
   * report.sequence()} (or absent): stores that sequence and the report's tracking with the move. {@code Conflict}
   * otherwise.
   */
  Future<Order> transition(Order current, OrderStatus next, Instant at, StatusReport report);

  /**
   * Records a report of the status the order already has: stores its higher sequence (and tracking) if the stored
   * order is still at {@code current.status()} with a lower sequence; {@code Conflict} otherwise. No event.
   */
  Future<Order> restamp(Order current, StatusReport report);

  /** Clears the owed compensation of a released order. */
  Future<Void> compensated(String orderId);

  /** Released orders still owing compensation whose last change is older than {@code before}. */
  Future<List<Order>> owingCompensation(Instant before, int limit);

  /** A customer's orders, newest first. {@code Validation} for a cursor that is not theirs. */
  Future<OrderPage> byCustomer(String customerId, int limit, Optional<String> cursor);

  /** Orders in {@code status}, newest first; every order (in no particular order) when no status is given. */
  Future<OrderPage> byStatus(Optional<OrderStatus> status, int limit, Optional<String> cursor);
}
