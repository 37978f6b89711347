package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.cart.CartContents;
import io.webstore.cart.CartLine;
import io.webstore.catalog.PriceQuote;
import io.webstore.catalog.PriceQuote.SaleTerms;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Checkout prices by the catalog at server time, whatever the cart showed. */
class PricingTest {

  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

  @Test
  void theCatalogPriceIsChargedAndARunningSaleTakesAllowance() {
    CartContents cart = cart(line("A", 2), line("B", 1));
    CheckoutPlan plan = Pricing.plan(cart, Map.of(
        "A", quote("A", "8.00", "10.00", Optional.of(new SaleTerms("s1", 3, NOW.plusSeconds(60)))),
        "B", quote("B", "4.00", "4.00", Optional.empty())), NOW);
    assertThat(plan.lines()).extracting(line -> line.unitPrice().text()).containsExactly("8.00", "4.00");
    assertThat(plan.lines().get(0).saleId()).contains("s1");
    assertThat(plan.totals().total().text()).isEqualTo("20.00");
    assertThat(plan.totals().items()).isEqualTo(3);
    assertThat(plan.claims()).containsExactly(new SaleClaim("s1", 2, 3));
  }

  @Test
  void aSaleThatEndedByServerTimeNoLongerApplies() {
    CheckoutPlan plan = Pricing.plan(cart(line("A", 1)), Map.of(
        "A", quote("A", "8.00", "10.00", Optional.of(new SaleTerms("s1", 3, NOW)))), NOW);
    assertThat(plan.lines().get(0).unitPrice().text()).isEqualTo("10.00");
    assertThat(plan.lines().get(0).saleId()).isEmpty();
    assertThat(plan.claims()).isEmpty();
  }

  @Test
  void anEmptyCartOrOneWithUnsoldItemsIsRefused() {
    assertThatThrownBy(() -> Pricing.plan(cart(), Map.of(), NOW)).isInstanceOf(Validation.class);
    assertThatThrownBy(() -> Pricing.plan(cart(line("A", 1), line("GONE", 1)),
        Map.of("A", quote("A", "1.00", "1.00", Optional.empty())), NOW))
        .isInstanceOfSatisfying(Conflict.class, conflict -> assertThat(conflict.extensions())
            .isEqualTo(new JsonObject().put("skus", new JsonArray().add("GONE"))));
  }

  private static CartContents cart(CartLine... lines) {
    return new CartContents("customer:c1", 1, List.of(lines), Optional.empty());
  }

  /** A cart stores no price: the catalog's quote is what is charged. */
  private static CartLine line(String sku, int quantity) {
    return new CartLine(sku, quantity);
  }

  private static PriceQuote quote(String sku, String unit, String list, Optional<SaleTerms> sale) {
    return new PriceQuote(sku, "Item " + sku, Amount.price(unit, "USD"), Amount.price(list, "USD"), sale);
  }
}
