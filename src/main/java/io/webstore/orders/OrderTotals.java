package io.webstore.orders;

import io.webstore.platform.money.Amount;
import java.util.List;

/**
 * What an order costs: {@code items} units, {@code subtotal} of the lines, {@code total} charged (equal to the
 * subtotal until shipping and tax arrive).
 */
public record OrderTotals(int items, Amount subtotal, Amount total) {

  /** Sums lines of one currency; IllegalArgumentException when they mix currencies. */
  public static OrderTotals of(List<OrderLine> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("an order has at least one line");
    }
    Amount subtotal = Amount.zero(lines.get(0).unitPrice().currency());
    int items = 0;
    for (OrderLine line : lines) {
      subtotal = subtotal.plus(line.lineTotal());
      items += line.quantity();
    }
    return new OrderTotals(items, subtotal, subtotal);
  }
}
