package io.webstore.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webstore.platform.error.CartCheckedOut;
import io.webstore.platform.error.Conflict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of a checkout's claim on a cart, in plain Java. */
class CartCheckoutRulesTest {

  private static final String OWNER = "customer:c1";

  private static Cart cart(long version, CartLine... lines) {
    return new Cart(OWNER, List.of(lines), version, Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void aClaimOfThePricedVersionTakesTheCartAndIsIdempotent() {
    Cart claimed = cart(4, new CartLine("A", 2)).claimedBy("rec-1", "ord_1", 4, Map.of("A", 2));
    assertThat(claimed.checkout()).contains(new CartClaim("rec-1", "ord_1", 4));
    assertThat(claimed.lines()).containsExactly(new CartLine("A", 2));
    assertThat(claimed.claimedBy("rec-1", "ord_1", 4, Map.of("A", 2))).isSameAs(claimed);
  }

  @Test
  void anotherCheckoutOfAClaimedCartIsRefusedNamingTheOrder() {
    Cart claimed = cart(4, new CartLine("A", 1)).claimedBy("rec-1", "ord_1", 4, Map.of("A", 1));
    assertThatThrownBy(() -> claimed.claimedBy("rec-2", "ord_2", 4, Map.of("A", 1)))
        .isInstanceOfSatisfying(CartCheckedOut.class, refused -> assertThat(refused.orderId()).isEqualTo("ord_1"));
  }

  @Test
  void aCheckoutThatPricedACartAnotherCompletedIsRefused() {
    Cart done = cart(4, new CartLine("A", 1)).claimedBy("rec-1", "ord_1", 4, Map.of("A", 1)).savedAs(5)
        .withoutOrdered("rec-1", Map.of("A", 1)).savedAs(6);
    assertThat(done.lines()).isEmpty();
    assertThat(done.lastCheckout()).contains(new Cart.LastCheckout("ord_1", 4));
    assertThatThrownBy(() -> done.claimedBy("rec-2", "ord_2", 4, Map.of("A", 1)))
        .isInstanceOfSatisfying(CartCheckedOut.class, refused -> assertThat(refused.orderId()).isEqualTo("ord_1"));
    // a cart priced after that checkout is a new order
    Cart refilled = new Cart(OWNER, List.of(new CartLine("A", 1)), 7, Optional.empty(), Optional.empty(),
        done.lastCheckout());
    assertThat(refilled.claimedBy("rec-3", "ord_3", 7, Map.of("A", 1)).checkout()).isPresent();
  }

  @Test
  void anAddSinceThePricingDoesNotStopTheClaimButALoweredLineDoes() {
    Cart added = cart(5, new CartLine("A", 2), new CartLine("B", 1));
    assertThat(added.claimedBy("rec-1", "ord_1", 4, Map.of("A", 1)).checkout())
        .contains(new CartClaim("rec-1", "ord_1", 5));
    assertThatThrownBy(() -> cart(5, new CartLine("A", 1)).claimedBy("rec-1", "ord_1", 4, Map.of("A", 2)))
        .isInstanceOf(Conflict.class).hasMessageContaining("the cart changed");
  }

  @Test
  void theEndOfACheckoutRemovesExactlyTheOrderedUnitsOnce() {
    Cart claimed = cart(4, new CartLine("A", 1)).claimedBy("rec-1", "ord_1", 4, Map.of("A", 1)).savedAs(5);
    Cart withAdds = new Cart(OWNER, List.of(new CartLine("A", 2), new CartLine("B", 1)), 7, Optional.empty(),
        claimed.checkout(), Optional.empty()); // adds during the checkout kept the claim
    Cart after = withAdds.withoutOrdered("rec-1", Map.of("A", 1));
    assertThat(after.lines()).containsExactly(new CartLine("A", 1), new CartLine("B", 1));
    assertThat(after.checkout()).isEmpty();
    assertThat(after.withoutOrdered("rec-1", Map.of("A", 1))).isSameAs(after);
  }

  @Test
  void aReleaseDropsOnlyItsOwnClaimAndKeepsTheLines() {
    Cart claimed = cart(4, new CartLine("A", 1)).claimedBy("rec-1", "ord_1", 4, Map.of("A", 1));
    assertThat(claimed.released("rec-2")).isSameAs(claimed);
    Cart released = claimed.released("rec-1");
    assertThat(released.checkout()).isEmpty();
    assertThat(released.lines()).containsExactly(new CartLine("A", 1));
    assertThat(released.lastCheckout()).isEmpty();
  }

  @Test
  void changesOfAClaimedCartKeepTheClaim() {
    Cart claimed = cart(4, new CartLine("A", 1), new CartLine("B", 2)).claimedBy("rec-1", "ord_1", 4,
        Map.of("A", 1));
    assertThat(claimed.without("B").checkout()).isEqualTo(claimed.checkout());
    assertThat(claimed.cleared().checkout()).isEqualTo(claimed.checkout());
  }
}
