package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.webstore.cart.CartContents;
import io.webstore.cart.CartLine;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrdersClient;
import io.webstore.platform.money.Amount;
import io.webstore.testing.Deadline;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.InProgress;
import io.webstore.platform.error.Problem;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checkout saga's rules, run by the real {@link CheckoutFlow}, {@link Settlement} and {@link CheckoutRecovery} over
 * {@link InMemorySagaPorts} and {@link InMemoryIdempotencyStore}: no engines, milliseconds per rule. The ports keep
 * the contract of the real ones ({@link SagaPortsContract}), so what holds here holds for the saga on the features; the
 * HTTP tests ({@link CheckoutRulesTest}, {@link CheckoutIdempotencyTest}, {@link CheckoutCrashRecoveryTest}) prove
 * the same rules end to end.
 */
@ExtendWith(VertxExtension.class)
class CheckoutFlowRulesTest {

  private static final String MUG = "MUG-1";
  private static final String CUSTOMER = "cust-rules";
  private static final CheckoutSettings SETTINGS = new CheckoutSettings(Duration.ofSeconds(30),
      Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(5), false, Duration.ofSeconds(5), 1,
      Duration.ofSeconds(1), Decision.ALLOW);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final InMemorySagaPorts memory = new InMemorySagaPorts(clock);
  private final InMemoryIdempotencyStore records = new InMemoryIdempotencyStore();
  private final SagaPorts ports = memory.ports(records);
  private final MeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void aCheckoutPlacesTheOrderCommitsTheStockChargesOnceAndEmptiesTheCart(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-placed");

    CheckoutFlow.Answer answer = place(vertx, ports, request("key-placed", "tok_approve"));

    assertThat(answer.response().status()).isEqualTo(201);
    assertThat(answer.replayed()).isFalse();
    assertThat(answer.response().location()).contains("/api/v1/orders/" + ids.orderId());
    JsonObject order = new JsonObject(answer.response().body());
    assertThat(order.getString("id")).isEqualTo(ids.orderId());
    assertThat(order.getJsonObject("totals").getJsonObject("total").getString("amount")).isEqualTo("25.00");
    Order stored = memory.order(ids.orderId()).orElseThrow();
    assertThat(stored.checkoutPending()).as("not written again: its committed hold, not the order, says it has stock")
        .isTrue();
    assertThat(failure(ports.orders().abandon(ids.orderId()))).as("never abandoned once committed")
        .isInstanceOf(Conflict.class);
    assertThat(memory.onHand(MUG)).isEqualTo(3);
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.charges()).isEqualTo(1);
    assertThat(memory.payment(ids.paymentKey())).contains("authorized");
    CartContents cart = cart();
    assertThat(cart.lines()).isEmpty();
    assertThat(cart.checkout()).isEmpty();
    IdempotencyRecord record = record(ids);
    assertThat(record.step()).isEqualTo(CheckoutStep.DONE);
    assertThat(record.response()).contains(answer.response());
  }

  @Test
  void anEmptyCartIs422NamingTheCartAndTheAnswerIsKeptForTheKey(Vertx vertx) {
    CheckoutFlow.Answer empty = place(vertx, ports, request("key-empty", "tok_approve"));

    JsonObject problem = problem(empty, 422, "validation");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("cart");
    assertThat(problem.getString("instance")).isEqualTo(CheckoutFixtures.CHECKOUT);
    CheckoutFlow.Answer again = place(vertx, ports, request("key-empty", "tok_approve"));
    assertThat(again.replayed()).isTrue();
    assertThat(again.response()).isEqualTo(empty.response());
    assertThat(memory.charges()).isZero();
  }

  @Test
  void aCartTheStockCannotCoverIsRefusedBeforeAnythingIsTaken(Vertx vertx) {
    memory.product(MUG, "12.50", 1).addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-short");

    JsonObject problem = problem(place(vertx, ports, request("key-short", "tok_approve")), 409, "out-of-stock");

    assertThat(problem.getJsonArray("skus")).isEqualTo(new JsonArray().add(MUG));
    assertThat(cart().checkout()).as("the cart was never claimed").isEmpty();
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.payment(ids.paymentKey())).isEmpty();
    assertThat(record(ids).step()).isEqualTo(CheckoutStep.FAILED);
  }

  @Test
  void stockSoldOutBetweenTheLookAndTheHoldReleasesTheCartClaimAndTheAllowanceAndChargesNothing(Vertx vertx) {
    memory.product(MUG, "20.00", 5).sale(MUG, "sale-mug", "15.00", 2, clock.instant().plus(1, ChronoUnit.HOURS))
        .addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-sold-out");
    // another buyer's order takes all but one unit right after this checkout looked at the stock
    SagaPorts soldOutMeanwhile = new SagaPorts(ports.carts(), ports.prices(), new SagaPorts.Stock() {
      @Override
      public Future<Map<String, Integer>> availability(List<String> skus) {
        return ports.stock().availability(skus).onSuccess(seen -> memory.stock(MUG, 1));
      }

      @Override
      public Future<Void> hold(String holdId, List<OrderLine> lines, Duration ttl) {
        return ports.stock().hold(holdId, lines, ttl);
      }

      @Override
      public Future<Void> commit(String holdId) {
        return ports.stock().commit(holdId);
      }

      @Override
      public Future<Void> release(String holdId) {
        return ports.stock().release(holdId);
      }
    }, ports.payments(), ports.orders(), records, ports.risk());

    problem(place(vertx, soldOutMeanwhile, request("key-sold-out", "tok_approve")), 409, "out-of-stock");

    CartContents cart = cart();
    assertThat(cart.checkout()).as("claim released").isEmpty();
    assertThat(cart.lines()).as("lines kept").containsExactly(new CartLine(MUG, 2));
    assertThat(memory.saleUnits("sale-mug", CUSTOMER)).as("allowance returned").isZero();
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.payment(ids.paymentKey())).as("never charged").isEmpty();
    assertThat(memory.order(ids.orderId())).isEmpty();
    assertThat(record(ids).step()).isEqualTo(CheckoutStep.FAILED);
  }

  @Test
  void aDeclinedPaymentIs402ReleasesTheHoldAndTheAllowanceAndTheCartCanBePaidAnotherWay(Vertx vertx) {
    memory.product(MUG, "20.00", 5).sale(MUG, "sale-mug", "15.00", 2, clock.instant().plus(1, ChronoUnit.HOURS))
        .addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-declined");

    problem(place(vertx, ports, request("key-declined", "tok_decline")), 402, "payment-declined");

    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.onHand(MUG)).isEqualTo(5);
    assertThat(memory.saleUnits("sale-mug", CUSTOMER)).isZero();
    assertThat(memory.payment(ids.paymentKey())).contains("declined");
    assertThat(memory.charges()).isZero();
    assertThat(memory.order(ids.orderId())).isEmpty();
    assertThat(cart().checkout()).isEmpty();
    assertThat(cart().lines()).containsExactly(new CartLine(MUG, 2));

    CheckoutFlow.Answer paid = place(vertx, ports, request("key-other-card", "tok_approve"));
    assertThat(paid.response().status()).as(paid.response().body()).isEqualTo(201);
    assertThat(memory.saleUnits("sale-mug", CUSTOMER)).isEqualTo(2);
    assertThat(memory.onHand(MUG)).isEqualTo(3);
  }

  @Test
  void aCartClaimedByAnotherCheckoutIs409AndNothingIsHeldOrCharged(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 1);
    CheckoutIds first = CheckoutIds.of(CUSTOMER, "key-first-click");
    await(ports.carts().claim(CUSTOMER, first.recordId(), first.orderId(), cart().version(), Map.of(MUG, 1)));

    JsonObject problem = problem(place(vertx, ports, request("key-second-click", "tok_approve")), 409,
        "cart-checked-out");

    assertThat(problem.getString("order_id")).isEqualTo(first.orderId());
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.charges()).isZero();
    assertThat(cart().checkout().orElseThrow().recordId()).isEqualTo(first.recordId());
  }

  @Test
  void aRepeatWithTheSameKeyReplaysTheAnswerWithoutChargingAgainAndAnotherBodyIsRefused(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 2);

    CheckoutFlow.Answer first = place(vertx, ports, request("key-twice", "tok_approve"));
    memory.addToCart(CUSTOMER, MUG, 1); // the cart changes after the order: a replay still answers the order
    CheckoutFlow.Answer again = place(vertx, ports, request("key-twice", "tok_approve"));

    assertThat(first.response().status()).isEqualTo(201);
    assertThat(again.replayed()).isTrue();
    assertThat(again.response()).isEqualTo(first.response());
    assertThat(memory.charges()).isEqualTo(1);
    assertThat(memory.onHand(MUG)).isEqualTo(3);
    Throwable otherBody = failure(flow(vertx, ports).place(request("key-twice", "tok_other")));
    assertThat(otherBody).isInstanceOf(Validation.class).hasMessageContaining("Idempotency-Key");
  }

  @Test
  void aRepeatWhileTheFirstIsStillRunningIsToldToAskAgainAndDecidesNothing(Vertx vertx) {
    memory.product(MUG, "20.00", 5).addToCart(CUSTOMER, MUG, 1);
    AtomicBoolean bankAsked = new AtomicBoolean();
    Promise<Void> bankAnswers = Promise.promise();
    SagaPorts slowBank = new SagaPorts(ports.carts(), ports.prices(), ports.stock(), new SagaPorts.Payments() {
      @Override
      public Future<Boolean> authorize(String paymentKey, Amount amount, String token,
          Map<String, String> metadata) {
        bankAsked.set(true);
        return bankAnswers.future().compose(answered -> ports.payments().authorize(paymentKey, amount, token, metadata));
      }

      @Override
      public Future<Void> voidAuthorization(String paymentKey) {
        return ports.payments().voidAuthorization(paymentKey);
      }
    }, ports.orders(), records, ports.risk());
    CheckoutSettings shortWait = new CheckoutSettings(SETTINGS.lease(), SETTINGS.holdTtl(), Duration.ofMillis(50),
        SETTINGS.recoveryInterval(), false, SETTINGS.callTimeout(), 1, SETTINGS.fraudTimeout(),
        SETTINGS.onFraudUnavailable());
    CheckoutFlow flow = new CheckoutFlow(vertx, shortWait, slowBank, new Settlement(slowBank), meters, clock);

    Future<CheckoutFlow.Answer> first = flow.place(request("key-slow-bank", "tok_approve"));
    Deadline.await("the first checkout asked the bank", Duration.ofSeconds(5), bankAsked::get);
    Throwable repeat = failure(flow.place(request("key-slow-bank", "tok_approve")));

    assertThat(repeat).isInstanceOf(InProgress.class);
    Problem problem = Problem.of((InProgress) repeat);
    assertThat(problem.status()).isEqualTo(409);
    assertThat(problem.slug()).isEqualTo("in-progress");
    assertThat(problem.headers()).containsEntry("Retry-After", "1");
    assertThat(memory.charges()).as("the repeat charged nothing").isZero();
    assertThat(first.isComplete()).as("the first checkout still runs").isFalse();

    bankAnswers.complete();
    CheckoutFlow.Answer placed = await(first);
    assertThat(placed.response().status()).as(placed.response().body()).isEqualTo(201);
    CheckoutFlow.Answer asked = await(flow.place(request("key-slow-bank", "tok_approve")));
    assertThat(asked.replayed()).isTrue();
    assertThat(asked.response()).isEqualTo(placed.response());
    assertThat(memory.charges()).isEqualTo(1);
    assertThat(memory.onHand(MUG)).isEqualTo(4);
  }

  @Test
  void aCheckoutThatDiedAfterItsPaymentIsRolledBackByRecoveryAndItsKeyAnswers503(Vertx vertx) {
    memory.product(MUG, "20.00", 5).sale(MUG, "sale-mug", "15.00", 2, clock.instant().plus(1, ChronoUnit.HOURS))
        .addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-died-paid");
    SagaPorts dying = CheckoutFaults.crashAt(CheckoutFaults.Step.AFTER_PAYMENT).apply(ports);

    assertThat(failure(flow(vertx, dying).place(request("key-died-paid", "tok_approve"))))
        .isInstanceOf(Unavailable.class);
    assertThat(memory.charges()).as("charged before it died").isEqualTo(1);
    assertThat(memory.held(MUG)).isEqualTo(2);

    clock.advance(SETTINGS.lease().plusMillis(1));
    CheckoutRecovery.Pass pass = await(recovery().runOnce());

    assertThat(pass).isEqualTo(new CheckoutRecovery.Pass(1, 0, 1, 0));
    assertThat(memory.charges()).as("voided").isZero();
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.onHand(MUG)).isEqualTo(5);
    assertThat(memory.saleUnits("sale-mug", CUSTOMER)).isZero();
    assertThat(cart().checkout()).isEmpty();
    assertThat(cart().lines()).containsExactly(new CartLine(MUG, 2));
    assertThat(await(ports.orders().abort(ids.orderId()))).as("the order id is burnt").isEmpty();
    CheckoutFlow.Answer replay = place(vertx, ports, request("key-died-paid", "tok_approve"));
    assertThat(replay.replayed()).isTrue();
    problem(replay, 503, "unavailable");
  }

  @Test
  void aCheckoutThatDiedAfterItsOrderWriteIsCompletedByRecovery(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-died-ordered");
    SagaPorts dying = CheckoutFaults.crashAt(CheckoutFaults.Step.AFTER_ORDER_WRITE).apply(ports);

    assertThat(failure(flow(vertx, dying).place(request("key-died-ordered", "tok_approve"))))
        .isInstanceOf(Unavailable.class);
    assertThat(memory.order(ids.orderId()).orElseThrow().checkoutPending()).isTrue();

    clock.advance(SETTINGS.lease().plusMillis(1));
    assertThat(await(recovery().runOnce())).isEqualTo(new CheckoutRecovery.Pass(1, 1, 0, 0));

    assertThat(failure(ports.orders().abandon(ids.orderId()))).as("completed: the hold is committed")
        .isInstanceOf(Conflict.class);
    assertThat(memory.onHand(MUG)).isEqualTo(3);
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.charges()).isEqualTo(1);
    assertThat(cart().lines()).isEmpty();
    assertThat(cart().checkout()).isEmpty();
    CheckoutFlow.Answer replay = place(vertx, ports, request("key-died-ordered", "tok_approve"));
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.response().status()).isEqualTo(201);
    assertThat(replay.response().location()).contains("/api/v1/orders/" + ids.orderId());
  }

  @Test
  void aPaymentWithoutAnAnswerIs503AndARetryWithTheSameKeyRunsAgainIntoOneChargeAndOneCommit(Vertx vertx) {
    memory.product(MUG, "20.00", 5).sale(MUG, "sale-mug", "15.00", 2, clock.instant().plus(1, ChronoUnit.HOURS))
        .addToCart(CUSTOMER, MUG, 2);
    CheckoutIds first = CheckoutIds.of(CUSTOMER, "key-silent-bank");
    AtomicBoolean silent = new AtomicBoolean(true);
    // the first authorization lands at the bank, but its answer never comes back
    SagaPorts silentOnce = new SagaPorts(ports.carts(), ports.prices(), ports.stock(), new SagaPorts.Payments() {
      @Override
      public Future<Boolean> authorize(String paymentKey, Amount amount, String token,
          Map<String, String> metadata) {
        return ports.payments().authorize(paymentKey, amount, token, metadata)
            .compose(flagged -> silent.getAndSet(false)
                ? Future.failedFuture(new Unavailable("the provider gave no answer"))
                : Future.succeededFuture(flagged));
      }

      @Override
      public Future<Void> voidAuthorization(String paymentKey) {
        return ports.payments().voidAuthorization(paymentKey);
      }
    }, ports.orders(), records, ports.risk());

    CheckoutFlow.Answer unavailable = place(vertx, silentOnce, request("key-silent-bank", "tok_approve"));

    assertThat(problem(unavailable, 503, "unavailable").getString("detail")).contains("same Idempotency-Key");
    assertThat(record(first).step()).isEqualTo(CheckoutStep.RETRYABLE);
    assertThat(memory.payment(first.paymentKey())).contains("voided");
    assertThat(memory.charges()).isZero();
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.saleUnits("sale-mug", CUSTOMER)).isZero();
    assertThat(cart().checkout()).isEmpty();

    CheckoutFlow.Answer placed = place(vertx, silentOnce, request("key-silent-bank", "tok_approve"));

    CheckoutIds second = first.next();
    assertThat(placed.response().status()).as(placed.response().body()).isEqualTo(201);
    assertThat(placed.replayed()).isFalse();
    assertThat(placed.response().location()).contains("/api/v1/orders/" + second.orderId());
    assertThat(memory.charges()).as("the first run's charge voided, the second's standing").isEqualTo(1);
    assertThat(memory.payment(first.paymentKey())).contains("voided");
    assertThat(memory.payment(second.paymentKey())).contains("authorized");
    assertThat(memory.onHand(MUG)).as("committed once").isEqualTo(3);
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.saleUnits("sale-mug", CUSTOMER)).as("the allowance taken once, by the second run").isEqualTo(2);
    assertThat(memory.order(first.orderId())).isEmpty();
    assertThat(cart().lines()).isEmpty();
    IdempotencyRecord record = record(first);
    assertThat(record.step()).isEqualTo(CheckoutStep.DONE);
    assertThat(record.ids()).isEqualTo(second);

    CheckoutFlow.Answer again = place(vertx, ports, request("key-silent-bank", "tok_approve"));
    assertThat(again.replayed()).isTrue();
    assertThat(again.response()).isEqualTo(placed.response());
    assertThat(memory.charges()).isEqualTo(1);
  }

  @Test
  void aRetryOfARetryableKeyWithAnotherBodyIsRefusedAndRunsNothing(Vertx vertx) {
    memory.product(MUG, "20.00", 5).addToCart(CUSTOMER, MUG, 1);
    CheckoutIds first = CheckoutIds.of(CUSTOMER, "key-silent-other");
    SagaPorts silent = new SagaPorts(ports.carts(), ports.prices(), ports.stock(), new SagaPorts.Payments() {
      @Override
      public Future<Boolean> authorize(String paymentKey, Amount amount, String token,
          Map<String, String> metadata) {
        return Future.failedFuture(new Unavailable("the provider gave no answer"));
      }

      @Override
      public Future<Void> voidAuthorization(String paymentKey) {
        return ports.payments().voidAuthorization(paymentKey);
      }
    }, ports.orders(), records, ports.risk());
    problem(place(vertx, silent, request("key-silent-other", "tok_approve")), 503, "unavailable");

    assertThat(failure(flow(vertx, ports).place(request("key-silent-other", "tok_decline"))))
        .isInstanceOf(Validation.class);
    assertThat(record(first).step()).isEqualTo(CheckoutStep.RETRYABLE);
    assertThat(record(first).ids()).isEqualTo(first);
    assertThat(memory.charges()).isZero();
  }

  // ---- helpers

  private CheckoutFlow flow(Vertx vertx, SagaPorts over) {
    return new CheckoutFlow(vertx, SETTINGS, over, new Settlement(over), meters, clock);
  }

  /** Recovery as every instance runs it: over the plain ports, whatever the requests ran over. */
  private CheckoutRecovery recovery() {
    return new CheckoutRecovery(records, new Settlement(ports), SETTINGS, meters, clock);
  }

  private CheckoutFlow.Answer place(Vertx vertx, SagaPorts over, CheckoutRequest request) {
    return await(flow(vertx, over).place(request));
  }

  private static CheckoutRequest request(String key, String token) {
    JsonObject body = CheckoutFixtures.body(token);
    return new CheckoutRequest(CUSTOMER, key, CheckoutJson.requestHash(body),
        OrdersClient.shippingAddress(body.getJsonObject("shipping_address")), token, "192.0.2.10",
        Optional.of("device-1"), Optional.of("FR"));
  }

  private CartContents cart() {
    return await(ports.carts().contents(CUSTOMER));
  }

  private IdempotencyRecord record(CheckoutIds ids) {
    return await(records.find(ids.recordId())).orElseThrow();
  }

  private static JsonObject problem(CheckoutFlow.Answer answer, int status, String type) {
    assertThat(answer.response().status()).as(answer.response().body()).isEqualTo(status);
    JsonObject problem = new JsonObject(answer.response().body());
    assertThat(problem.getString("type")).isEqualTo("/problems/" + type);
    return problem;
  }

  /** The result of a future that the in-memory ports complete at once (or after the flow's own short timers). */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      throw new AssertionError("failed: " + failed.getCause(), failed.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failure(Future<?> future) {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException failed) {
      return failed.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** A clock the test moves: leases end without waiting for them. */
  private static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
