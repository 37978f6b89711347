package io.webstore.orders;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An order, as one DynamoDB item carries it with everything that changes with it.
 *
 * @param checkoutId the idempotency record that placed it ({@code <customer id>#<Idempotency-Key>})
 * @param holdId the stock hold its units came from
 * @param paymentKey the key of its one authorization
 * @param saleClaims the sale allowance it took, given back if it is cancelled
 * @param checkoutPending true from the write until the order's first move: its stock may not be committed yet. The
 *     checkout does not clear it; a move first commits the order's hold (idempotent: a committed hold commits again
 *     as a success) and clears it in the move's own write, and a hold that can no longer be committed refuses the
 *     move. So its stock is committed whenever this is false; while true, the hold says
 * @param version 1 on creation, +1 on each status change
 */
public record Order(String id, String customerId, OrderStatus status, List<OrderLine> lines, OrderTotals totals,
    ShippingAddress shippingAddress, String checkoutId, String holdId, String paymentKey, List<SaleClaim> saleClaims,
    Instant createdAt, Instant updatedAt, boolean checkoutPending, long version) {

  public Order {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(status, "status");
    lines = List.copyOf(lines);
    saleClaims = List.copyOf(saleClaims);
    Objects.requireNonNull(totals, "totals");
    Objects.requireNonNull(shippingAddress, "shippingAddress");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A new order, status placed, still being checked out. */
  public static Order placed(String id, String customerId, List<OrderLine> lines, ShippingAddress address,
      String checkoutId, String holdId, String paymentKey, List<SaleClaim> saleClaims, Instant now) {
    return placed(id, customerId, OrderStatus.PLACED, lines, address, checkoutId, holdId, paymentKey, saleClaims, now);
  }

  /** A new order in {@code status} (placed, or review when the checkout's screening holds it), still being checked out. */
  public static Order placed(String id, String customerId, OrderStatus status, List<OrderLine> lines,
      ShippingAddress address, String checkoutId, String holdId, String paymentKey, List<SaleClaim> saleClaims,
      Instant now) {
    if (!status.initial()) {
      throw new IllegalArgumentException("an order cannot start " + status.wire());
    }
    return new Order(id, customerId, status, lines, OrderTotals.of(lines), address, checkoutId, holdId, paymentKey,
        saleClaims, now, now, true, 1);
  }

  public Order withStatus(OrderStatus next, Instant at) {
    return new Order(id, customerId, next, lines, totals, shippingAddress, checkoutId, holdId, paymentKey, saleClaims,
        createdAt, at, checkoutPending, version + 1);
  }

  /** This order as one whose stock is known committed (see {@code checkoutPending}). */
  public Order confirmed() {
    return new Order(id, customerId, status, lines, totals, shippingAddress, checkoutId, holdId, paymentKey,
        saleClaims, createdAt, updatedAt, false, version);
  }
}
