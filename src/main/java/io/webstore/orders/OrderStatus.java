package io.webstore.orders;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of an order: {@code placed → paid → fulfilling → shipped → delivered}, left early only to {@code
 * cancelled} (before shipping) or {@code payment_failed} (before payment). An order the fraud screening of its checkout
 * wants a person to look at starts in {@code review} instead of {@code placed}: an admin releases it to {@code placed}
 * (its normal life from there) or cancels it. Nothing but {@code placed}, {@code cancelled} and {@code payment_failed}
 * follows {@code review}, so an order in review can never reach {@code shipped}, where its payment would be captured.
 * {@link #next()} is the whole table of legal moves; every other move is refused.
 */
public enum OrderStatus {
  PLACED, PAID, FULFILLING, SHIPPED, DELIVERED, CANCELLED, PAYMENT_FAILED, REVIEW;

  /** The statuses this one may move to. */
  public Set<OrderStatus> next() {
    return switch (this) {
      case REVIEW -> EnumSet.of(PLACED, CANCELLED, PAYMENT_FAILED);
      case PLACED -> EnumSet.of(PAID, CANCELLED, PAYMENT_FAILED);
      case PAID -> EnumSet.of(FULFILLING, CANCELLED);
      case FULFILLING -> EnumSet.of(SHIPPED, CANCELLED);
      case SHIPPED -> EnumSet.of(DELIVERED);
      case DELIVERED, CANCELLED, PAYMENT_FAILED -> EnumSet.noneOf(OrderStatus.class);
    };
  }

  public boolean canMoveTo(OrderStatus target) {
    return next().contains(target);
  }

  /** Whether entering this status gives the order's stock, payment and sale allowance back. */
  public boolean releasesOrder() {
    return this == CANCELLED || this == PAYMENT_FAILED;
  }

  /** Whether a new order may start in this status ({@code placed}, or {@code review} when held by the screening). */
  public boolean initial() {
    return this == PLACED || this == REVIEW;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the wire form; IllegalArgumentException for anything else. */
  public static OrderStatus fromWire(String value) {
    for (OrderStatus status : values()) {
      if (status.wire().equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown order status " + value);
  }
}
