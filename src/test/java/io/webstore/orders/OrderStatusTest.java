package io.webstore.orders;

import static io.webstore.orders.OrderStatus.CANCELLED;
import static io.webstore.orders.OrderStatus.DELIVERED;
import static io.webstore.orders.OrderStatus.FULFILLING;
import static io.webstore.orders.OrderStatus.PAID;
import static io.webstore.orders.OrderStatus.PAYMENT_FAILED;
import static io.webstore.orders.OrderStatus.PLACED;
import static io.webstore.orders.OrderStatus.REVIEW;
import static io.webstore.orders.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table, checked for every pair of statuses against the rules written out here. */
class OrderStatusTest {

  private static final Map<OrderStatus, Set<OrderStatus>> LEGAL = Map.of(
      PLACED, Set.of(PAID, CANCELLED, PAYMENT_FAILED),
      PAID, Set.of(FULFILLING, CANCELLED),
      FULFILLING, Set.of(SHIPPED, CANCELLED),
      SHIPPED, Set.of(DELIVERED),
      DELIVERED, Set.of(),
      CANCELLED, Set.of(),
      PAYMENT_FAILED, Set.of(),
      REVIEW, Set.of(PLACED, CANCELLED, PAYMENT_FAILED));

  @Test
  void everyPairIsLegalExactlyWhenTheRulesSaySo() {
    assertThat(LEGAL.keySet()).containsExactlyInAnyOrder(OrderStatus.values());
    int legal = 0;
    for (OrderStatus from : OrderStatus.values()) {
      for (OrderStatus to : OrderStatus.values()) {
        boolean expected = LEGAL.get(from).contains(to);
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected);
        legal += expected ? 1 : 0;
      }
    }
    assertThat(legal).isEqualTo(11);
  }

  @Test
  void noStatusMovesToItselfAndTheEndsAreFinal() {
    for (OrderStatus status : OrderStatus.values()) {
      assertThat(status.canMoveTo(status)).as(status.wire()).isFalse();
    }
    assertThat(DELIVERED.next()).isEmpty();
    assertThat(CANCELLED.next()).isEmpty();
    assertThat(PAYMENT_FAILED.next()).isEmpty();
  }

  @Test
  void cancellingIsPossibleExactlyUntilShipping() {
    assertThat(Set.of(OrderStatus.values()).stream().filter(s -> s.canMoveTo(CANCELLED)))
        .containsExactlyInAnyOrder(REVIEW, PLACED, PAID, FULFILLING);
  }

  @Test
  void anOrderInReviewCanNeitherBePaidNorReachShippingWithoutItsRelease() {
    assertThat(REVIEW.canMoveTo(PAID)).isFalse();
    assertThat(REVIEW.canMoveTo(FULFILLING)).isFalse();
    assertThat(REVIEW.canMoveTo(SHIPPED)).isFalse();
    assertThat(Set.of(OrderStatus.values()).stream().filter(s -> s.canMoveTo(REVIEW))).as("nothing moves back").isEmpty();
    assertThat(Set.of(OrderStatus.values()).stream().filter(OrderStatus::initial))
        .containsExactlyInAnyOrder(PLACED, REVIEW);
    assertThat(REVIEW.wire()).isEqualTo("review");
  }

  @Test
  void onlyCancelledAndPaymentFailedReleaseTheOrder() {
    assertThat(Set.of(OrderStatus.values()).stream().filter(OrderStatus::releasesOrder))
        .containsExactlyInAnyOrder(CANCELLED, PAYMENT_FAILED);
  }

  @Test
  void wireNamesRoundTripAndUnknownOnesAreRefused() {
    for (OrderStatus status : OrderStatus.values()) {
      assertThat(OrderStatus.fromWire(status.wire())).isEqualTo(status);
    }
    assertThat(PAYMENT_FAILED.wire()).isEqualTo("payment_failed");
    assertThatThrownBy(() -> OrderStatus.fromWire("PLACED")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OrderStatus.fromWire("lost")).isInstanceOf(IllegalArgumentException.class);
  }
}
