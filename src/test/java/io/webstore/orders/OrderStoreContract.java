package io.webstore.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link OrderStore}, stated once and run against every adapter: an order is placed once per
 * checkout, an aborted id stays burnt, status changes are conditional on what was read, released orders are listed
 * until compensated, and listings page newest first without loss or repeat.
 */
@ExtendWith(VertxExtension.class)
abstract class OrderStoreContract {

  /** The adapter under test; its orders must not be changed by anything else while the test runs. */
  protected abstract Future<OrderStore> createStore();

  private OrderStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void aPlacedOrderIsFoundAsWrittenAndPendingItsCheckout(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    store.place(order)
        .compose(placed -> {
          test.verify(() -> assertThat(placed).isEqualTo(order));
          return store.find(order.id());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(order);
          assertThat(found.checkoutPending()).isTrue();
          assertThat(found.version()).isEqualTo(1);
          test.completeNow();
        })));
  }

  @Test
  void aRepeatedPlaceOfTheSameCheckoutAnswersTheStoredOrder(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    Order retried = withCreatedAt(order, at(5));
    store.place(order)
        .compose(placed -> store.place(retried))
        .onComplete(test.succeeding(again -> test.verify(() -> {
          assertThat(again).isEqualTo(order);
          test.completeNow();
        })));
  }

  @Test
  void anOrderIdOfAnotherCheckoutIsAConflict(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    Order clash = new Order(order.id(), order.customerId(), order.status(), order.lines(), order.totals(),
        order.shippingAddress(), "other#checkout", order.holdId(), order.paymentKey(), order.saleClaims(),
        order.createdAt(), order.updatedAt(), true, 1);
    store.place(order)
        .compose(placed -> store.place(clash))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(Conflict.class);
          test.completeNow();
        })));
  }

  @Test
  void concurrentPlacesOfOneCheckoutAllAnswerTheOneOrder(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    List<Future<Order>> places = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      places.add(store.place(order));
    }
    Future.all(places).onComplete(test.succeeding(all -> test.verify(() -> {
      places.forEach(place -> assertThat(place.result()).isEqualTo(order));
      test.completeNow();
    })));
  }

  @Test
  void anUnknownOrderIsNotFound(VertxTestContext test) {
    store.find("ord_" + UUID.randomUUID()).onComplete(test.failing(err -> test.verify(() -> {
      assertThat(err).isInstanceOf(NotFound.class);
      test.completeNow();
    })));
  }

  @Test
  void anAbortedIdIsBurntForGood(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    store.abort(order.id())
        .compose(aborted -> {
          test.verify(() -> assertThat(aborted).isEmpty());
          return store.abort(order.id());
        })
        .compose(again -> {
          test.verify(() -> assertThat(again).as("aborting again: still aborted").isEmpty());
          return expectFailure(() -> store.place(order), Conflict.class);
        })
        .compose(late -> expectFailure(() -> store.find(order.id()), NotFound.class))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void abortingAPlacedOrderAnswersTheOrderAndLeavesIt(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    store.place(order)
        .compose(placed -> store.abort(order.id()))
        .compose(aborted -> {
          test.verify(() -> assertThat(aborted).contains(order));
          return store.find(order.id());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(order);
          test.completeNow();
        })));
  }

  @Test
  void aRaceOfPlaceAndAbortHasOneOutcome(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    Future<Order> place = store.place(order);
    Future<Optional<Order>> abort = store.abort(order.id());
    Future.join(place, abort).onComplete(done -> test.verify(() -> {
      assertThat(abort.succeeded()).isTrue();
      if (place.succeeded()) {
        assertThat(abort.result()).as("the order stands: the abort sees it").contains(order);
      } else {
        assertThat(place.cause()).isInstanceOf(Conflict.class);
        assertThat(abort.result()).as("the id is burnt").isEmpty();
      }
      test.completeNow();
    }));
  }

  @Test
  void aTransitionFromWhatWasReadMovesTheOrderAndCountsItsVersion(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    Instant paidAt = at(10);
    store.place(order)
        .map(placed -> order.confirmed())
        .compose(confirmed -> store.transition(confirmed, OrderStatus.PAID, paidAt))
        .compose(paid -> {
          test.verify(() -> {
            assertThat(paid.status()).isEqualTo(OrderStatus.PAID);
            assertThat(paid.version()).isEqualTo(2);
            assertThat(paid.updatedAt()).isEqualTo(paidAt);
            assertThat(paid.checkoutPending()).isFalse();
          });
          return store.find(order.id()).map(found -> {
            test.verify(() -> assertThat(found).isEqualTo(paid));
            return paid;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aReportedMoveStoresItsSequenceAndOnlyAHigherSequenceMovesOrRestampsAgain(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    StatusReport first = new StatusReport(5, Optional.empty());
    store.place(order)
        .map(placed -> order.confirmed())
        .compose(confirmed -> store.findSequenced(order.id()).compose(unreported -> {
          test.verify(() -> assertThat(unreported.statusSequence()).isZero());
          return store.transition(confirmed, OrderStatus.PAID, at(10), first);
        }))
        .compose(paid -> store.findSequenced(order.id()).compose(found -> {
          test.verify(() -> {
            assertThat(found.order().status()).isEqualTo(OrderStatus.PAID);
            assertThat(found.order().version()).isEqualTo(2);
            assertThat(found.statusSequence()).isEqualTo(5);
          });
          // a report at or below the stored sequence moves nothing, whatever it says
          return expectFailure(() -> store.transition(paid, OrderStatus.FULFILLING, at(20),
                  new StatusReport(5, Optional.empty())), Conflict.class)
              .compose(refused -> expectFailure(() -> store.restamp(paid, new StatusReport(4, Optional.empty())),
                  Conflict.class))
              .compose(refused -> store.restamp(paid, new StatusReport(7, Optional.of("TRACK-1"))))
              .compose(restamped -> store.findSequenced(order.id()));
        }))
        .compose(restamped -> {
          test.verify(() -> {
            assertThat(restamped.order().status()).isEqualTo(OrderStatus.PAID);
            assertThat(restamped.order().version()).as("a restamp is no move").isEqualTo(2);
            assertThat(restamped.statusSequence()).isEqualTo(7);
          });
          return store.transition(restamped.order(), OrderStatus.FULFILLING, at(30),
              new StatusReport(8, Optional.empty()));
        })
        .compose(moved -> store.findSequenced(order.id()).map(found -> {
          test.verify(() -> {
            assertThat(found.order().status()).isEqualTo(OrderStatus.FULFILLING);
            assertThat(found.statusSequence()).isEqualTo(8);
          });
          return found;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aTransitionFromAStaleReadIsAConflictAndChangesNothing(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    store.place(order)
        .map(placed -> order.confirmed())
        .compose(confirmed -> store.transition(confirmed, OrderStatus.PAID, at(10))
            .compose(paid -> expectFailure(() -> store.transition(confirmed, OrderStatus.CANCELLED, at(20)),
                Conflict.class))
            .compose(refused -> store.find(order.id()))
            .map(found -> {
              test.verify(() -> assertThat(found.status()).isEqualTo(OrderStatus.PAID));
              return found;
            }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aPendingReadMovesOnlyAPendingOrderAndAConfirmedReadClearsTheMark(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    Order other = order("cust-" + UUID.randomUUID(), at(0));
    store.place(order)
        .compose(placed -> store.transition(placed.confirmed(), OrderStatus.PAID, at(5)))
        // read while pending, moved after the mark was cleared: the read is stale
        .compose(paid -> expectFailure(() -> store.transition(order.withStatus(OrderStatus.PAID, at(5)),
            OrderStatus.CANCELLED, at(10)), Conflict.class))
        .compose(refused -> store.find(order.id()))
        .compose(found -> {
          assertThat(found.status()).isEqualTo(OrderStatus.PAID);
          return store.place(other);
        })
        // a caller that knows the stock is committed (it rolled the commit forward) moves a pending order and clears
        // the mark in the same write
        .compose(placed -> store.transition(other.confirmed(), OrderStatus.PAID, at(10)))
        .compose(moved -> {
          assertThat(moved.checkoutPending()).isFalse();
          return store.find(other.id());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found.status()).isEqualTo(OrderStatus.PAID);
          assertThat(found.checkoutPending()).isFalse();
          test.completeNow();
        })));
  }

  @Test
  void racingTransitionsFromOneReadHaveOneWinner(VertxTestContext test) {
    Order order = order("cust-" + UUID.randomUUID(), at(0));
    store.place(order)
        .map(placed -> order.confirmed())
        .compose(confirmed -> {
          List<Future<Order>> moves = List.of(store.transition(confirmed, OrderStatus.PAID, at(10)),
              store.transition(confirmed, OrderStatus.CANCELLED, at(11)),
              store.transition(confirmed, OrderStatus.PAYMENT_FAILED, at(12)));
          return Future.join(moves).otherwiseEmpty().map(done -> moves);
        })
        .compose(moves -> store.find(order.id()).map(found -> {
          test.verify(() -> {
            assertThat(moves.stream().filter(Future::succeeded).count()).isEqualTo(1);
            assertThat(moves.stream().filter(Future::failed).map(Future::cause))
                .allSatisfy(err -> assertThat(err).isInstanceOf(Conflict.class));
            Order winner = moves.stream().filter(Future::succeeded).findFirst().orElseThrow().result();
            assertThat(found).isEqualTo(winner);
            assertThat(found.version()).isEqualTo(2);
          });
          return found;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aReleasedOrderOwesCompensationUntilCompensated(VertxTestContext test) {
    Order cancelled = order("cust-" + UUID.randomUUID(), at(0));
    Order paid = order("cust-" + UUID.randomUUID(), at(0));
    Instant later = Instant.now().plusSeconds(3600);
    store.place(cancelled)
        .compose(placed -> store.place(paid))
        .map(placed -> cancelled.confirmed())
        .compose(confirmed -> store.transition(confirmed, OrderStatus.CANCELLED, at(10)))
        .map(moved -> paid.confirmed())
        .compose(confirmed -> store.transition(confirmed, OrderStatus.PAID, at(10)))
        .compose(moved -> store.owingCompensation(later, 1000))
        .compose(owing -> {
          test.verify(() -> {
            assertThat(ids(owing)).contains(cancelled.id()).doesNotContain(paid.id());
            assertThat(owing).allSatisfy(order -> assertThat(order.status().releasesOrder()).isTrue());
          });
          return store.owingCompensation(at(10), 1000);
        })
        .compose(notYet -> {
          test.verify(() -> assertThat(ids(notYet)).as("changed at, not before, the bound")
              .doesNotContain(cancelled.id()));
          return store.compensated(cancelled.id());
        })
        .compose(done -> store.compensated(cancelled.id()))
        .compose(again -> store.owingCompensation(later, 1000))
        .onComplete(test.succeeding(owing -> test.verify(() -> {
          assertThat(ids(owing)).doesNotContain(cancelled.id());
          test.completeNow();
        })));
  }

  @Test
  void compensatingAnUnknownOrderFailsItsCondition(VertxTestContext test) {
    expectFailure(() -> store.compensated("ord_" + UUID.randomUUID()), ConditionFailed.class)
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aCustomersOrdersPageNewestFirstWithoutLossOrRepeat(VertxTestContext test) {
    String customer = "cust-" + UUID.randomUUID();
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      orders.add(order(customer, at(i)));
    }
    Future<Void> placed = Future.succeededFuture();
    for (Order order : orders) {
      placed = placed.compose(previous -> store.place(order).mapEmpty());
    }
    placed.compose(done -> store.place(order("cust-" + UUID.randomUUID(), at(2))))
        .compose(other -> collect(cursor -> store.byCustomer(customer, 2, cursor), Optional.empty(), new ArrayList<>()))
        .onComplete(test.succeeding(listed -> test.verify(() -> {
          List<Order> newestFirst = new ArrayList<>(orders);
          java.util.Collections.reverse(newestFirst);
          assertThat(listed).containsExactlyElementsOf(newestFirst);
          test.completeNow();
        })));
  }

  @Test
  void aCursorOfAnotherListingIsAValidationError(VertxTestContext test) {
    String customer = "cust-" + UUID.randomUUID();
    store.place(order(customer, at(0)))
        .compose(placed -> store.place(order(customer, at(1))))
        .compose(placed -> store.byCustomer(customer, 1, Optional.empty()))
        .compose(page -> {
          test.verify(() -> assertThat(page.nextCursor()).isPresent());
          return expectFailure(() -> store.byCustomer("cust-" + UUID.randomUUID(), 1, page.nextCursor()),
              Validation.class);
        })
        .compose(refused -> expectFailure(() -> store.byCustomer(customer, 1, Optional.of("not-a-cursor")),
            Validation.class))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void ordersInAStatusPageNewestFirstAndEveryOrderIsListedOnce(VertxTestContext test) {
    List<Order> cancelled = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      cancelled.add(order("cust-" + UUID.randomUUID(), Instant.now().plusSeconds(7200 + i)
          .truncatedTo(ChronoUnit.MILLIS)));
    }
    Future<Void> moved = Future.succeededFuture();
    for (Order order : cancelled) {
      moved = moved.compose(previous -> store.place(order)
          .map(placed -> order.confirmed())
          .compose(confirmed -> store.transition(confirmed, OrderStatus.CANCELLED, at(1)))
          .mapEmpty());
    }
    moved.compose(done -> store.byStatus(Optional.of(OrderStatus.CANCELLED), 2, Optional.empty()))
        .compose(first -> {
          test.verify(() -> assertThat(ids(first.orders())).as("the newest, of every cancelled order")
              .containsExactly(cancelled.get(2).id(), cancelled.get(1).id()));
          return expectFailure(() -> store.byStatus(Optional.of(OrderStatus.PAID), 2, first.nextCursor()),
              Validation.class);
        })
        .compose(refused -> collect(cursor -> store.byStatus(Optional.empty(), 7, cursor), Optional.empty(),
            new ArrayList<>()))
        .onComplete(test.succeeding(all -> test.verify(() -> {
          assertThat(ids(all)).doesNotHaveDuplicates();
          assertThat(ids(all)).containsAll(ids(cancelled));
          test.completeNow();
        })));
  }

  // ---- helpers

  private Future<List<Order>> collect(java.util.function.Function<Optional<String>, Future<OrderPage>> listing,
      Optional<String> cursor, List<Order> acc) {
    return listing.apply(cursor).compose(page -> {
      acc.addAll(page.orders());
      return page.nextCursor().isPresent() ? collect(listing, page.nextCursor(), acc) : Future.succeededFuture(acc);
    });
  }

  /** Succeeds when {@code call} fails (by a failed future or by throwing) with {@code expected}. */
  /** {@code call} returns a future failed with {@code expected}; throwing instead breaks the contract. */
  static <T> Future<Void> expectFailure(Supplier<Future<T>> call, Class<? extends Throwable> expected) {
    Future<T> answer;
    try {
      answer = call.get();
    } catch (RuntimeException thrown) {
      return Future.failedFuture(new AssertionError("threw instead of returning a failed future", thrown));
    }
    return answer.transform(result -> {
      if (result.succeeded()) {
        return Future.failedFuture(new AssertionError("expected " + expected.getSimpleName() + ", got "
            + result.result()));
      }
      return expected.isInstance(result.cause()) ? Future.succeededFuture()
          : Future.failedFuture(new AssertionError("expected " + expected.getSimpleName(), result.cause()));
    });
  }

  private static List<String> ids(List<Order> orders) {
    return orders.stream().map(Order::id).toList();
  }

  private static Instant at(int seconds) {
    return Instant.parse("2025-03-01T10:00:00.000Z").plusSeconds(seconds).plusMillis(7);
  }

  static Order order(String customerId, Instant createdAt) {
    String checkout = customerId + "#key-" + UUID.randomUUID();
    List<OrderLine> lines = List.of(
        OrderLine.of("SKU-C1", "Contract mug", 2, Amount.of("19.99", "USD"), Optional.of("sale-1")),
        OrderLine.of("SKU-C2", "Contract tee", 1, Amount.of("5.00", "USD"), Optional.empty()));
    ShippingAddress address = new ShippingAddress("Ada Buyer", "1 Main St", Optional.empty(), "Springfield",
        Optional.of("IL"), "62701", "US");
    return Order.placed("ord_" + UUID.randomUUID(), customerId, lines, address, checkout, "chk-" + UUID.randomUUID(),
        "pay_" + UUID.randomUUID(), List.of(new SaleClaim("sale-1", 2, 3)), createdAt);
  }

  private static Order withCreatedAt(Order order, Instant createdAt) {
    return new Order(order.id(), order.customerId(), order.status(), order.lines(), order.totals(),
        order.shippingAddress(), order.checkoutId(), order.holdId(), order.paymentKey(), order.saleClaims(), createdAt,
        createdAt, order.checkoutPending(), order.version());
  }
}
