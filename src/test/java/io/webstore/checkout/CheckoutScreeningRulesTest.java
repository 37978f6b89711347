package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.webstore.fraud.FraudEvent;
import io.webstore.fraud.FraudRequest;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.orders.OrderStatus;
import io.webstore.orders.OrdersClient;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fraud step's rules, run by the real {@link CheckoutFlow} over {@link InMemorySagaPorts}: what the fraud tier is
 * asked, and what each decision (and a fraud tier without an answer, under each policy) does to the hold, the charge,
 * the order and the stored answer. {@link CheckoutFraudTest} proves the same through HTTP on the real features.
 */
@ExtendWith(VertxExtension.class)
class CheckoutScreeningRulesTest {

  private static final String MUG = "MUG-1";
  private static final String CUSTOMER = "cust-screening";

  private final InMemorySagaPorts memory = new InMemorySagaPorts(Clock.systemUTC());
  private final InMemoryIdempotencyStore records = new InMemoryIdempotencyStore();
  private final SagaPorts ports = memory.ports(records);
  private final MeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void theFraudTierIsAskedAboutThePaymentWithEverySignalTheCheckoutHasAndTheTokenAsItCame(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 2);

    CheckoutFlow.Answer answer = place(vertx, Decision.ALLOW, "key-signals");

    assertThat(answer.response().status()).isEqualTo(201);
    assertThat(new JsonObject(answer.response().body()).getString("status")).isEqualTo("placed");
    assertThat(memory.scored()).hasSize(1);
    FraudRequest asked = memory.scored().get(0);
    assertThat(asked.event()).isEqualTo(FraudEvent.PAYMENT);
    assertThat(asked.account()).isEqualTo(CUSTOMER);
    assertThat(asked.ip()).isEqualTo("192.0.2.10");
    assertThat(asked.deviceId()).isEqualTo("device-1");
    assertThat(asked.cardToken()).as("the fraud tier fingerprints it").isEqualTo("tok_approve");
    assertThat(asked.amount()).isEqualByComparingTo(new BigDecimal("25.00"));
    assertThat(asked.currency()).isEqualTo("USD");
    assertThat(asked.shippingCountry()).isEqualTo("DE");
    assertThat(asked.billingCountry()).isEqualTo("FR");
    assertThat(asked.toString()).doesNotContain("tok_approve");
    assertThat(counted("allow", "fraud")).isEqualTo(1.0);
  }

  @Test
  void aBlockIsA403StoredForTheKeyWithTheHoldReleasedTheCartKeptAndNothingCharged(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-blocked");

    CheckoutFlow.Answer answer = place(vertx, Decision.BLOCK, "key-blocked");

    JsonObject problem = problem(answer, 403, "payment-refused");
    assertThat(problem.getString("detail")).contains("nothing was charged");
    assertThat(memory.payment(ids.paymentKey())).as("the provider was never asked").isEmpty();
    assertThat(memory.charges()).isZero();
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.onHand(MUG)).isEqualTo(5);
    assertThat(memory.order(ids.orderId())).isEmpty();
    assertThat(await(ports.carts().contents(CUSTOMER)).lines()).hasSize(1);
    assertThat(await(ports.carts().contents(CUSTOMER)).checkout()).as("the cart claim is released").isEmpty();
    assertThat(await(records.find(ids.recordId())).orElseThrow().step()).isEqualTo(CheckoutStep.FAILED);
    CheckoutFlow.Answer replay = place(vertx, Decision.ALLOW, "key-blocked");
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.response()).isEqualTo(answer.response());
    assertThat(memory.scored()).as("a replay is not scored again").hasSize(1);
  }

  @Test
  void aReviewPlacesTheOrderInReviewWithItsStockCommittedAndItsPaymentAuthorized(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 2);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-review");

    CheckoutFlow.Answer answer = place(vertx, Decision.REVIEW, "key-review");

    assertThat(answer.response().status()).isEqualTo(201);
    assertThat(new JsonObject(answer.response().body()).getString("status")).isEqualTo("review");
    assertThat(memory.order(ids.orderId()).orElseThrow().status()).isEqualTo(OrderStatus.REVIEW);
    assertThat(memory.onHand(MUG)).isEqualTo(3);
    assertThat(memory.payment(ids.paymentKey())).contains("authorized");
  }

  @Test
  void theProvidersRiskFlagTurnsAnAllowIntoAReviewButNeverIntoABlock(Vertx vertx) {
    memory.product(MUG, "12.50", 5).addToCart(CUSTOMER, MUG, 2).providerFlags(true);
    CheckoutIds ids = CheckoutIds.of(CUSTOMER, "key-flagged");

    CheckoutFlow.Answer answer = place(vertx, Decision.ALLOW, "key-flagged");

    assertThat(answer.response().status()).isEqualTo(201);
    assertThat(memory.order(ids.orderId()).orElseThrow().status()).isEqualTo(OrderStatus.REVIEW);
    assertThat(memory.payment(ids.paymentKey())).contains("authorized");
    assertThat(counted("review", "provider")).isEqualTo(1.0);
  }

  @Test
  void aFraudTierWithoutAnAnswerGetsThePolicyOfTheSettings(Vertx vertx) {
    memory.product(MUG, "12.50", 9).addToCart(CUSTOMER, MUG, 1).fraudDecides(Optional.empty());

    assertThat(place(vertx, settings(Decision.ALLOW), "key-open").response().status()).isEqualTo(201);
    memory.addToCart(CUSTOMER, MUG, 1);
    CheckoutFlow.Answer reviewed = place(vertx, settings(Decision.REVIEW), "key-review-policy");
    assertThat(new JsonObject(reviewed.response().body()).getString("status")).isEqualTo("review");
    memory.addToCart(CUSTOMER, MUG, 1);
    CheckoutIds closed = CheckoutIds.of(CUSTOMER, "key-closed");
    problem(place(vertx, settings(Decision.BLOCK), "key-closed"), 403, "payment-refused");
    assertThat(memory.payment(closed.paymentKey())).isEmpty();
    assertThat(memory.held(MUG)).isZero();
    assertThat(memory.onHand(MUG)).as("two orders took one each").isEqualTo(7);
    assertThat(counted("allow", "unavailable") + counted("review", "unavailable") + counted("block", "unavailable"))
        .isEqualTo(3.0);
  }

  // ---- helpers

  private static CheckoutSettings settings(Decision whenUnavailable) {
    return new CheckoutSettings(Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofSeconds(2),
        Duration.ofSeconds(5), false, Duration.ofSeconds(5), 1, Duration.ofSeconds(1), whenUnavailable);
  }

  private CheckoutFlow.Answer place(Vertx vertx, Decision fraudSays, String key) {
    memory.fraudDecides(Optional.of(fraudSays));
    return place(vertx, settings(Decision.ALLOW), key);
  }

  private CheckoutFlow.Answer place(Vertx vertx, CheckoutSettings settings, String key) {
    JsonObject body = CheckoutFixtures.body("tok_approve").put("billing_country", "FR");
    CheckoutRequest request = new CheckoutRequest(CUSTOMER, key, CheckoutJson.requestHash(body),
        OrdersClient.shippingAddress(body.getJsonObject("shipping_address")), "tok_approve", "192.0.2.10",
        Optional.of("device-1"), Optional.of("FR"));
    return await(new CheckoutFlow(vertx, settings, ports, new Settlement(ports), meters, Clock.systemUTC())
        .place(request));
  }

  private double counted(String decision, String by) {
    var counter = meters.find("webstore.checkout.screened").tags("decision", decision, "by", by).counter();
    return counter == null ? 0.0 : counter.count();
  }

  private static JsonObject problem(CheckoutFlow.Answer answer, int status, String type) {
    assertThat(answer.response().status()).as(answer.response().body()).isEqualTo(status);
    JsonObject problem = new JsonObject(answer.response().body());
    assertThat(problem.getString("type")).isEqualTo("/problems/" + type);
    return problem;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      throw new AssertionError("failed: " + failed.getCause(), failed.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
