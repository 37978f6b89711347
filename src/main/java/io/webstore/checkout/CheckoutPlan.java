package io.webstore.checkout;

import io.webstore.orders.OrderLine;
import io.webstore.orders.OrderTotals;
import io.webstore.orders.SaleClaim;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkout will buy, priced by the catalog at server time: the lines (one per SKU), their totals and the sale
 * allowance they take, and the cart version priced (the version the checkout claims). Kept in the idempotency record,
 * so recovery knows what to give back.
 */
record CheckoutPlan(List<OrderLine> lines, OrderTotals totals, List<SaleClaim> claims, long cartVersion) {

  public CheckoutPlan {
    lines = List.copyOf(lines);
    claims = List.copyOf(claims);
  }

  /** Units per SKU: what the checkout takes out of the cart. */
  public Map<String, Integer> units() {
    Map<String, Integer> units = new LinkedHashMap<>();
    lines.forEach(line -> units.merge(line.sku(), line.quantity(), Integer::sum));
    return units;
  }
}
