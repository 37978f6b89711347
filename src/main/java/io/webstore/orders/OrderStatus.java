package io.webstore.orders;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of an order: {@code placed → paid → fulfilling → shipped → delivered}, left early only to {@code
 * cancelled} (before shipping) or {@code payment_failed} (before payment). {@link #next()} is the whole table of legal
 * moves; every other move is refused.
 */
public enum OrderStatus {
  PLACED, PAID, FULFILLING, SHIPPED, DELIVERED, CANCELLED, PAYMENT_FAILED;

  /** The statuses this one may move to. */
  public Set<OrderStatus> next() {
    return switch (this) {
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
