package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.cart.CartLine;
import io.webstore.catalog.PriceQuote;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrderStatus;
import io.webstore.orders.OrdersClient.PlaceOrder;
import io.webstore.orders.SaleClaim;
import io.webstore.orders.ShippingAddress;
import io.webstore.platform.error.CartCheckedOut;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.PaymentDeclined;
import io.webstore.platform.money.Amount;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of the checkout saga's {@link SagaPorts} (carts, prices, stock, payments, orders), stated once and run
 * against every implementation: {@link ClientPorts} over the real features on the dev engines and {@link
 * InMemorySagaPorts}. It states what each port's javadoc promises and what the saga counts on: every step it may
 * repeat after a crash is idempotent (cart claim and removal, hold, commit, release, authorization, void, sale
 * allowance, order write, abort, confirm, abandon), a refusal takes nothing (a short hold, a cart claimed by another
 * checkout), and each refusal arrives as the domain exception the saga turns into its answer. The idempotency records
 * have their own contract ({@link IdempotencyStoreContract}).
 */
@ExtendWith(VertxExtension.class)
abstract class SagaPortsContract {

  /** The token the payment provider approves (the sandbox's, and the in-memory one's); any other declines. */
  protected static final String APPROVE = "tok_approve";
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final ShippingAddress ADDRESS = new ShippingAddress("Ada Buyer", "1 Test Street", Optional.empty(),
      "Berlin", Optional.empty(), "10115", "DE");

  /** The ports under test; the SKUs, customers and keys of a test are its own. */
  protected abstract SagaPorts createPorts();

  /** A new SKU the catalog sells at {@code price} USD, with {@code onHand} units in stock. */
  protected abstract String product(String price, int onHand);

  /** Puts {@code sku} (a {@link #product}) on a running flash sale at {@code price}; the sale's id. */
  protected abstract String sale(String sku, String price, int perCustomerLimit);

  /** Adds units of {@code sku} (a {@link #product}) to the customer's cart, as the customer would. */
  protected abstract void addToCart(String customerId, String sku, int quantity);

  private SagaPorts ports;

  @BeforeEach
  void ports() {
    ports = createPorts();
  }

  // ---- carts

  @Test
  void aCustomerWithoutACartHasAnEmptyUnclaimedOne(VertxTestContext test) {
    ports.carts().contents(customer())
        .map(cart -> {
          assertThat(cart.lines()).isEmpty();
          assertThat(cart.checkout()).isEmpty();
          return cart;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aClaimIsIdempotentAndShownWithTheLinesKept(VertxTestContext test) {
    String customer = customer();
    String sku = product("4.00", 5);
    addToCart(customer, sku, 2);
    CheckoutIds ids = ids(customer);
    ports.carts().contents(customer)
        .compose(cart -> {
          assertThat(cart.lines()).containsExactly(new CartLine(sku, 2));
          assertThat(cart.checkout()).isEmpty();
          return ports.carts().claim(customer, ids.recordId(), ids.orderId(), cart.version(), Map.of(sku, 2))
              .compose(v -> ports.carts().claim(customer, ids.recordId(), ids.orderId(), cart.version(),
                  Map.of(sku, 2)));
        })
        .compose(claimedTwice -> ports.carts().contents(customer))
        .map(cart -> {
          assertThat(cart.lines()).containsExactly(new CartLine(sku, 2));
          assertThat(cart.checkout()).hasValueSatisfying(claim -> {
            assertThat(claim.recordId()).isEqualTo(ids.recordId());
            assertThat(claim.orderId()).isEqualTo(ids.orderId());
          });
          return cart;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aClaimedCartRefusesAnotherCheckoutNamingTheOrderOfTheFirst(VertxTestContext test) {
    String customer = customer();
    String sku = product("4.00", 5);
    addToCart(customer, sku, 1);
    CheckoutIds first = ids(customer);
    CheckoutIds second = ids(customer);
    ports.carts().contents(customer)
        .compose(cart -> ports.carts().claim(customer, first.recordId(), first.orderId(), cart.version(),
                Map.of(sku, 1))
            .compose(v -> failure(ports.carts().claim(customer, second.recordId(), second.orderId(), cart.version(),
                Map.of(sku, 1)), CartCheckedOut.class)))
        .compose(refused -> {
          assertThat(refused.orderId()).isEqualTo(first.orderId());
          return ports.carts().contents(customer);
        })
        .map(cart -> {
          assertThat(cart.checkout().orElseThrow().recordId()).as("the first claim stands").isEqualTo(first.recordId());
          return cart;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aClaimOfUnitsTheCartNoLongerHoldsIsAConflictAndTakesNothing(VertxTestContext test) {
    String customer = customer();
    String sku = product("4.00", 5);
    addToCart(customer, sku, 1);
    CheckoutIds ids = ids(customer);
    ports.carts().contents(customer)
        .compose(cart -> failure(ports.carts().claim(customer, ids.recordId(), ids.orderId(), cart.version(),
            Map.of(sku, 2)), Conflict.class))
        .compose(refused -> ports.carts().contents(customer))
        .map(cart -> {
          assertThat(cart.checkout()).isEmpty();
          assertThat(cart.lines()).containsExactly(new CartLine(sku, 1));
          return cart;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aReleaseDropsOnlyItsOwnClaimAndKeepsTheLines(VertxTestContext test) {
    String customer = customer();
    String sku = product("4.00", 5);
    addToCart(customer, sku, 3);
    CheckoutIds ids = ids(customer);
    ports.carts().contents(customer)
        .compose(cart -> ports.carts().claim(customer, ids.recordId(), ids.orderId(), cart.version(), Map.of(sku, 3)))
        .compose(claimed -> ports.carts().release(customer, ids(customer).recordId()))
        .compose(othersReleased -> ports.carts().contents(customer))
        .compose(cart -> {
          assertThat(cart.checkout()).as("another checkout's release leaves the claim").isPresent();
          return ports.carts().release(customer, ids.recordId())
              .compose(released -> ports.carts().release(customer, ids.recordId()));
        })
        .compose(releasedTwice -> ports.carts().contents(customer))
        .map(cart -> {
          assertThat(cart.checkout()).isEmpty();
          assertThat(cart.lines()).containsExactly(new CartLine(sku, 3));
          return cart;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void removeOrderedTakesTheOrderedUnitsOnceAndTheCartCannotBeCheckedOutAgainAtThatVersion(VertxTestContext test) {
    String customer = customer();
    String sku = product("4.00", 9);
    String other = product("6.00", 9);
    addToCart(customer, sku, 3);
    addToCart(customer, other, 1);
    CheckoutIds ids = ids(customer);
    CheckoutIds again = ids(customer);
    ports.carts().contents(customer)
        .compose(priced -> ports.carts().claim(customer, ids.recordId(), ids.orderId(), priced.version(),
                Map.of(sku, 2))
            .compose(claimed -> ports.carts().removeOrdered(customer, ids.recordId(), Map.of(sku, 2)))
            .compose(removed -> ports.carts().removeOrdered(customer, ids.recordId(), Map.of(sku, 2)))
            .compose(removedTwice -> ports.carts().contents(customer))
            .compose(cart -> {
              assertThat(cart.lines()).containsExactly(new CartLine(sku, 1), new CartLine(other, 1));
              assertThat(cart.checkout()).isEmpty();
              return failure(ports.carts().claim(customer, again.recordId(), again.orderId(), priced.version(),
                  Map.of(sku, 1)), CartCheckedOut.class);
            })
            .map(refused -> {
              assertThat(refused.orderId()).as("the order that took the cart").isEqualTo(ids.orderId());
              return refused;
            }))
        .compose(refused -> ports.carts().contents(customer))
        .compose(now -> ports.carts().claim(customer, again.recordId(), again.orderId(), now.version(),
            Map.of(sku, 1, other, 1)))
        .onComplete(test.succeedingThenComplete());
  }

  // ---- prices

  @Test
  void quotesAreWhatTheCatalogSellsAndNothingElse(VertxTestContext test) {
    String sku = product("12.50", 1);
    String unknown = CheckoutFixtures.uniqueSku("none");
    ports.prices().prices(List.of(sku, unknown))
        .compose(quotes -> {
          assertThat(quotes).containsOnlyKeys(sku);
          PriceQuote quote = quotes.get(sku);
          assertThat(quote.sku()).isEqualTo(sku);
          assertThat(quote.name()).isNotBlank();
          assertThat(quote.unitPrice()).isEqualTo(Amount.of("12.50", "USD"));
          assertThat(quote.listPrice()).isEqualTo(Amount.of("12.50", "USD"));
          assertThat(quote.sale()).isEmpty();
          return ports.prices().prices(List.of());
        })
        .map(none -> {
          assertThat(none).isEmpty();
          return none;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aQuoteInARunningSaleCarriesTheSalePriceAndItsTerms(VertxTestContext test) {
    String sku = product("20.00", 5);
    String saleId = sale(sku, "15.00", 2);
    ports.prices().prices(List.of(sku))
        .map(quotes -> {
          PriceQuote quote = quotes.get(sku);
          assertThat(quote.unitPrice()).isEqualTo(Amount.of("15.00", "USD"));
          assertThat(quote.listPrice()).isEqualTo(Amount.of("20.00", "USD"));
          PriceQuote.SaleTerms terms = quote.sale().orElseThrow();
          assertThat(terms.id()).isEqualTo(saleId);
          assertThat(terms.perCustomerLimit()).isEqualTo(2);
          assertThat(terms.endsAt()).isAfter(Instant.now());
          return quote;
        })
        .onComplete(test.succeedingThenComplete());
  }

  // ---- stock

  @Test
  void availabilityIsWhatIsOnHandAndNoneForUnknownSkus(VertxTestContext test) {
    String sku = product("3.00", 5);
    String unknown = CheckoutFixtures.uniqueSku("none");
    ports.stock().availability(List.of(sku, unknown))
        .compose(available -> {
          assertThat(available.get(sku)).isEqualTo(5);
          assertThat(available.getOrDefault(unknown, 0)).isZero();
          return ports.stock().availability(List.of());
        })
        .map(none -> {
          assertThat(none).isEmpty();
          return none;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aHoldTakesItsUnitsOnceHoweverOftenItIsRepeated(VertxTestContext test) {
    String a = product("3.00", 5);
    String b = product("3.00", 3);
    String holdId = holdId();
    List<OrderLine> lines = List.of(line(a, 2), line(b, 3));
    ports.stock().hold(holdId, lines, TTL)
        .compose(held -> ports.stock().hold(holdId, lines, TTL))
        .compose(heldTwice -> ports.stock().availability(List.of(a, b)))
        .map(available -> {
          assertThat(available).containsEntry(a, 3).containsEntry(b, 0);
          return available;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aHoldTakesEveryLineOrNoneAndNamesTheShortSkus(VertxTestContext test) {
    String a = product("3.00", 5);
    String b = product("3.00", 1);
    failure(ports.stock().hold(holdId(), List.of(line(a, 2), line(b, 2)), TTL), OutOfStock.class)
        .compose(refused -> {
          assertThat(refused.skus().getList()).containsExactly(b);
          return ports.stock().availability(List.of(a, b));
        })
        .map(available -> {
          assertThat(available).as("nothing taken").containsEntry(a, 5).containsEntry(b, 1);
          return available;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aReleaseReturnsALiveHoldsUnitsOnceAndAnUnknownHoldIsLeftAlone(VertxTestContext test) {
    String sku = product("3.00", 5);
    String holdId = holdId();
    ports.stock().hold(holdId, List.of(line(sku, 2)), TTL)
        .compose(held -> ports.stock().release(holdId))
        .compose(released -> ports.stock().release(holdId))
        .compose(releasedTwice -> ports.stock().release(holdId()))
        .compose(unknown -> ports.stock().availability(List.of(sku)))
        .map(available -> {
          assertThat(available).containsEntry(sku, 5);
          return available;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aCommittedHoldKeepsItsUnitsAndAReleaseLeavesItAlone(VertxTestContext test) {
    String sku = product("3.00", 5);
    String holdId = holdId();
    ports.stock().hold(holdId, List.of(line(sku, 2)), TTL)
        .compose(held -> ports.stock().commit(holdId))
        .compose(committed -> ports.stock().commit(holdId))
        .compose(committedTwice -> ports.stock().release(holdId))
        .compose(released -> ports.stock().availability(List.of(sku)))
        .map(available -> {
          assertThat(available).containsEntry(sku, 3);
          return available;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aReleasedHoldCannotBeCommittedAndAnUnknownOneIsNotFound(VertxTestContext test) {
    String sku = product("3.00", 5);
    String holdId = holdId();
    ports.stock().hold(holdId, List.of(line(sku, 2)), TTL)
        .compose(held -> ports.stock().release(holdId))
        .compose(released -> failure(ports.stock().commit(holdId), Conflict.class))
        .compose(refused -> failure(ports.stock().commit(holdId()), NotFound.class))
        .compose(unknown -> ports.stock().availability(List.of(sku)))
        .map(available -> {
          assertThat(available).containsEntry(sku, 5);
          return available;
        })
        .onComplete(test.succeedingThenComplete());
  }

  // ---- payments

  @Test
  void anAuthorizationIsMadeOncePerKeyAndForOneAmount(VertxTestContext test) {
    CheckoutIds ids = ids(customer());
    String key = ids.paymentKey();
    Amount amount = Amount.of("10.00", "USD");
    ports.payments().authorize(key, amount, APPROVE, metadata(ids))
        .compose(authorized -> ports.payments().authorize(key, amount, APPROVE, metadata(ids)))
        .compose(repeated -> failure(ports.payments().authorize(key, Amount.of("11.00", "USD"),
            APPROVE, metadata(ids)), Conflict.class))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aDeclinedTokenIsDeclinedAndTheKeyStaysDeclined(VertxTestContext test) {
    CheckoutIds ids = ids(customer());
    String key = ids.paymentKey();
    Amount amount = Amount.of("10.00", "USD");
    failure(ports.payments().authorize(key, amount, "tok_decline", metadata(ids)), PaymentDeclined.class)
        .compose(declined -> failure(ports.payments().authorize(key, amount, APPROVE,
            metadata(ids)), PaymentDeclined.class))
        .compose(stillDeclined -> ports.payments().voidAuthorization(key))
        .compose(voided -> failure(ports.payments().authorize(key, amount, APPROVE,
            metadata(ids)), PaymentDeclined.class))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aVoidIsIdempotentAndFencesTheKeyWhetherOrNotItCameFirst(VertxTestContext test) {
    CheckoutIds first = ids(customer());
    CheckoutIds fenced = ids(customer());
    String authorizedFirst = first.paymentKey();
    String voidedFirst = fenced.paymentKey();
    Amount amount = Amount.of("10.00", "USD");
    ports.payments().authorize(authorizedFirst, amount, APPROVE, metadata(first))
        .compose(authorized -> ports.payments().voidAuthorization(authorizedFirst))
        .compose(voided -> ports.payments().voidAuthorization(authorizedFirst))
        .compose(voidedTwice -> failure(ports.payments().authorize(authorizedFirst, amount,
            APPROVE, metadata(first)), Conflict.class))
        .compose(refused -> ports.payments().voidAuthorization(voidedFirst))
        .compose(voided -> failure(ports.payments().authorize(voidedFirst, amount, APPROVE,
            metadata(fenced)), Conflict.class))
        .onComplete(test.succeedingThenComplete());
  }

  // ---- orders: the sale allowance

  @Test
  void saleAllowanceIsTakenOncePerCheckoutAndRefusedPastTheLimit(VertxTestContext test) {
    String customer = customer();
    String saleId = saleId();
    String first = ids(customer).recordId();
    ports.orders().claimSaleLimits(customer, first, List.of(new SaleClaim(saleId, 2, 3)))
        .compose(claimed -> ports.orders().claimSaleLimits(customer, first, List.of(new SaleClaim(saleId, 2, 3))))
        .compose(repeated -> failure(ports.orders().claimSaleLimits(customer, ids(customer).recordId(),
            List.of(new SaleClaim(saleId, 2, 3))), Conflict.class))
        .compose(refused -> {
          assertThat(refused.extensions().getString("sale_id")).isEqualTo(saleId);
          assertThat(refused.extensions().getInteger("limit")).isEqualTo(3);
          // the repeat took nothing: one unit is left, and another customer has an allowance of their own
          return ports.orders().claimSaleLimits(customer, ids(customer).recordId(),
              List.of(new SaleClaim(saleId, 1, 3)));
        })
        .compose(atTheLimit -> {
          String someoneElse = customer();
          return ports.orders().claimSaleLimits(someoneElse, ids(someoneElse).recordId(),
              List.of(new SaleClaim(saleId, 3, 3)));
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aReleaseGivesTheAllowanceBackOnce(VertxTestContext test) {
    String customer = customer();
    String saleId = saleId();
    String checkout = ids(customer).recordId();
    List<SaleClaim> two = List.of(new SaleClaim(saleId, 2, 3));
    ports.orders().claimSaleLimits(customer, checkout, two)
        .compose(claimed -> ports.orders().releaseSaleLimits(customer, checkout, two))
        .compose(released -> ports.orders().releaseSaleLimits(customer, checkout, two))
        .compose(releasedTwice -> ports.orders().claimSaleLimits(customer, ids(customer).recordId(),
            List.of(new SaleClaim(saleId, 3, 3))))
        .compose(wholeLimit -> failure(ports.orders().claimSaleLimits(customer, ids(customer).recordId(),
            List.of(new SaleClaim(saleId, 1, 3))), Conflict.class))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aReleaseBeforeItsClaimFencesTheClaimOut(VertxTestContext test) {
    String customer = customer();
    String saleId = saleId();
    String late = ids(customer).recordId();
    List<SaleClaim> one = List.of(new SaleClaim(saleId, 1, 3));
    ports.orders().releaseSaleLimits(customer, late, one)
        .compose(released -> failure(ports.orders().claimSaleLimits(customer, late, one), Conflict.class))
        .compose(fenced -> ports.orders().claimSaleLimits(customer, ids(customer).recordId(),
            List.of(new SaleClaim(saleId, 3, 3))))
        .onComplete(test.succeedingThenComplete());
  }

  // ---- orders: the order

  @Test
  void anOrderIsWrittenOnceAndARepeatAnswersTheFirst(VertxTestContext test) {
    PlaceOrder command = placeOrder(customer(), List.of());
    PlaceOrder later = new PlaceOrder(command.orderId(), command.customerId(), command.lines(), command.address(),
        command.checkoutId(), command.holdId(), command.paymentKey(), command.saleClaims(),
        command.placedAt().plusSeconds(5));
    ports.orders().place(command)
        .compose(placed -> {
          assertThat(placed.id()).isEqualTo(command.orderId());
          assertThat(placed.customerId()).isEqualTo(command.customerId());
          assertThat(placed.status()).isEqualTo(OrderStatus.PLACED);
          assertThat(placed.checkoutPending()).isTrue();
          assertThat(placed.lines()).isEqualTo(command.lines());
          assertThat(placed.totals().total()).isEqualTo(Amount.of("8.00", "USD"));
          assertThat(placed.checkoutId()).isEqualTo(command.checkoutId());
          assertThat(placed.holdId()).isEqualTo(command.holdId());
          assertThat(placed.paymentKey()).isEqualTo(command.paymentKey());
          assertThat(placed.createdAt()).isEqualTo(command.placedAt());
          return ports.orders().place(later).map(again -> {
            assertThat(again).isEqualTo(placed);
            return again;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void anAbortBurnsAnUnplacedIdSoItCanNoLongerBeWritten(VertxTestContext test) {
    PlaceOrder command = placeOrder(customer(), List.of());
    ports.orders().abort(command.orderId())
        .compose(aborted -> {
          assertThat(aborted).isEmpty();
          return ports.orders().abort(command.orderId());
        })
        .compose(abortedTwice -> {
          assertThat(abortedTwice).isEmpty();
          return failure(ports.orders().place(command), Conflict.class);
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void anAbortOfAPlacedIdAnswersTheOrderAndLeavesItStanding(VertxTestContext test) {
    PlaceOrder command = placeOrder(customer(), List.of());
    ports.orders().place(command)
        .compose(placed -> ports.orders().abort(command.orderId())
            .map(existing -> {
              assertThat(existing).contains(placed);
              return placed;
            }))
        .compose(placed -> ports.orders().place(command).map(again -> {
          assertThat(again).as("still placeable by its checkout").isEqualTo(placed);
          return again;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void anAbandonCancelsAPendingOrderAndGivesBackItsPaymentAndAllowance(VertxTestContext test) {
    String customer = customer();
    String saleId = saleId();
    List<SaleClaim> claims = List.of(new SaleClaim(saleId, 2, 2));
    PlaceOrder command = placeOrder(customer, claims);
    Amount total = Amount.of("8.00", "USD");
    ports.orders().claimSaleLimits(customer, command.checkoutId(), claims)
        .compose(claimed -> ports.payments().authorize(command.paymentKey(), total, APPROVE,
            Map.of("customer_id", customer, "order_id", command.orderId())))
        .compose(authorized -> ports.orders().place(command))
        .compose(placed -> ports.orders().abandon(command.orderId()))
        .compose(abandoned -> {
          assertThat(abandoned.status()).isEqualTo(OrderStatus.CANCELLED);
          return ports.orders().abandon(command.orderId());
        })
        .compose(abandonedTwice -> {
          assertThat(abandonedTwice.status()).isEqualTo(OrderStatus.CANCELLED);
          return failure(ports.payments().authorize(command.paymentKey(), total, APPROVE,
              Map.of("customer_id", customer, "order_id", command.orderId())), Conflict.class); // voided
        })
        .compose(voided -> ports.orders().claimSaleLimits(customer, ids(customer).recordId(), claims))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void anOrderWhoseStockWasCommittedIsNotAbandoned(VertxTestContext test) {
    String customer = customer();
    CheckoutIds ids = ids(customer);
    PlaceOrder command = new PlaceOrder(ids.orderId(), customer, List.of(line(product("4.00", 5), 2)), ADDRESS,
        ids.recordId(), ids.holdId(), ids.paymentKey(), List.of(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    // the order keeps its checkout mark after the commit (the checkout does not clear it): the hold says it has stock
    ports.stock().hold(command.holdId(), command.lines(), TTL)
        .compose(held -> ports.orders().place(command))
        .compose(placed -> ports.stock().commit(command.holdId()))
        .compose(committed -> failure(ports.orders().abandon(command.orderId()), Conflict.class))
        .compose(refused -> failure(ports.orders().abandon(ids(customer()).orderId()), NotFound.class))
        .onComplete(test.succeedingThenComplete());
  }

  // ---- helpers

  /** Succeeds with the failure of {@code call} when it failed with {@code type}; fails the test otherwise. */
  static <E extends Throwable> Future<E> failure(Future<?> call, Class<E> type) {
    return call.transform(result -> result.failed() && type.isInstance(result.cause())
        ? Future.succeededFuture(type.cast(result.cause()))
        : Future.failedFuture(new AssertionError("expected " + type.getSimpleName() + " but the call "
            + (result.succeeded() ? "succeeded with " + result.result() : "failed with " + result.cause()),
            result.cause())));
  }

  private static String customer() {
    return "cust-" + UUID.randomUUID();
  }

  private static CheckoutIds ids(String customerId) {
    return CheckoutIds.of(customerId, CheckoutFixtures.key());
  }

  /** What the saga tells the payment provider about a charge (customer and order, never card data). */
  private static Map<String, String> metadata(CheckoutIds ids) {
    return Map.of("customer_id", ids.recordId().substring(0, ids.recordId().indexOf('#')), "order_id", ids.orderId());
  }

  private static String holdId() {
    return "chk-" + UUID.randomUUID().toString().replace("-", "");
  }

  private static String saleId() {
    return "sale-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static OrderLine line(String sku, int quantity) {
    return OrderLine.of(sku, "Item " + sku, quantity, Amount.of("3.00", "USD"), Optional.empty());
  }

  /** An order of two units at 4.00 of a SKU nobody sells (the orders feature does not look at the catalog). */
  private static PlaceOrder placeOrder(String customerId, List<SaleClaim> claims) {
    CheckoutIds ids = ids(customerId);
    List<OrderLine> lines = List.of(OrderLine.of(CheckoutFixtures.uniqueSku("ordered"), "Ordered item", 2,
        Amount.of("4.00", "USD"), claims.stream().map(SaleClaim::saleId).findFirst()));
    return new PlaceOrder(ids.orderId(), customerId, lines, ADDRESS, ids.recordId(), ids.holdId(), ids.paymentKey(),
        claims, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }
}
