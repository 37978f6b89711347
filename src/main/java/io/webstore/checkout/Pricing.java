package io.webstore.checkout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.cart.CartContents;
import io.webstore.cart.CartLine;
import io.webstore.catalog.PriceQuote;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrderTotals;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.money.Amount;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prices a cart for checkout: the catalog's quote at server time is what is charged, whatever the cart showed. A sale
 * applies only while it runs by this server's clock (a quote whose sale has ended meanwhile falls back to the list
 * price) and then takes units of the customer's allowance for it.
 */
final class Pricing {

  private Pricing() {}

  /** The lines of {@code cart} its customer sees at these quotes (see {@link CartContents#shown}). */
  static CartContents shown(CartContents cart, Map<String, PriceQuote> quotes) {
    return cart.shown(sku -> Optional.ofNullable(quotes.get(sku)).map(quote -> quote.unitPrice().currency()));
  }

  /** The answer to a checkout of an empty cart. */
  static Validation emptyCart() {
    return Validation.of("cart", "the cart is empty; add items before checking out");
  }

  /** The plan; {@code Validation} for an empty cart, {@code Conflict} for SKUs no longer sold or mixed currencies. */
  static CheckoutPlan plan(CartContents cart, Map<String, PriceQuote> quotes, Instant now) {
    if (cart.lines().isEmpty()) {
      throw emptyCart();
    }
    List<String> gone = new ArrayList<>();
    List<OrderLine> lines = new ArrayList<>();
    List<SaleClaim> claims = new ArrayList<>();
    for (CartLine line : cart.lines()) {
      PriceQuote quote = quotes.get(line.sku());
      if (quote == null) {
        gone.add(line.sku());
        continue;
      }
      Optional<RunningSale> sale = quote.sale()
          .filter(terms -> terms.endsAt().isAfter(now))
          .map(terms -> new RunningSale(terms.id(), terms.perCustomerLimit()));
      Amount unitPrice = sale.isPresent() ? quote.unitPrice() : quote.listPrice();
      lines.add(OrderLine.of(line.sku(), quote.name(), line.quantity(), unitPrice, sale.map(RunningSale::id)));
      sale.filter(terms -> terms.limit() > 0)
          .ifPresent(terms -> claims.add(new SaleClaim(terms.id(), line.quantity(), terms.limit())));
    }
    if (!gone.isEmpty()) {
      throw new Conflict("some items are no longer sold; remove them from the cart",
          new JsonObject().put("skus", new JsonArray(gone)));
    }
    try {
      return new CheckoutPlan(lines, OrderTotals.of(lines), claims, cart.version());
    } catch (IllegalArgumentException mixed) {
      throw new Conflict("the cart mixes currencies; check out one currency at a time");
    }
  }

  private record RunningSale(String id, int limit) {}
}
