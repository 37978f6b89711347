package io.webstore.checkout;

import io.webstore.orders.OrderLine;
import io.webstore.orders.OrderTotals;
import io.webstore.orders.SaleClaim;
import java.util.List;

/**
 * What a checkout will buy, priced by the catalog at server time: the lines (one per SKU), their totals and the sale
 * allowance they take. Kept in the idempotency record, so recovery knows what to give back.
 */
public record CheckoutPlan(List<OrderLine> lines, OrderTotals totals, List<SaleClaim> claims) {

  public CheckoutPlan {
    lines = List.copyOf(lines);
    claims = List.copyOf(claims);
  }
}
