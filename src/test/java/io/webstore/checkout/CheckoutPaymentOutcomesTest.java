package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every token of the sandbox provider through {@code POST /api/v1/checkout}, with the stock, the order and the
 * payment record checked after each: approvals are 201 and one charge, declines are 402 with a reason the shopper can
 * act on, a provider that does not answer is 503 with {@code Retry-After}; whatever fails gives the stock back at once.
 */
@WebstoreTest
class CheckoutPaymentOutcomesTest {

  /** The sandbox's charges (payment key → reference) in the store's Vert.x instance. */
  private static final String SANDBOX_CHARGES = "payment.sandbox.charges";
  /** The sandbox's authorization requests per payment key. */
  private static final String SANDBOX_CALLS = "payment.sandbox.authorize_calls";

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @Test
  void anApprovedPaymentIs201WithOneChargeAndTheStockCommitted() {
    Placed placed = placed("tok_approve");
    assertThat(placed.response().statusCode()).as(placed.response().bodyAsString()).isEqualTo(201);
    assertCommitted(placed);
    assertThat(placed.payment().get("status").s()).isEqualTo("authorized");
    assertThat(placed.payment().get("review").bool()).isFalse();
    assertThat(charges(placed)).isEqualTo(1);
  }

  @Test
  void insufficientFundsIs402SayingWhatToDoAndReleasesTheStock() {
    Placed placed = placed("tok_decline_insufficient_funds");
    JsonObject problem = problem(placed.response(), 402, "payment-declined");
    assertThat(problem.getString("decline_code")).isEqualTo("insufficient_funds");
    assertThat(problem.getString("detail")).contains("insufficient funds").contains("another card");
    assertReleased(placed);
    assertThat(placed.payment().get("status").s()).isEqualTo("declined");
    assertThat(placed.payment().get("decline_code").s()).isEqualTo("insufficient_funds");
    assertThat(charges(placed)).isZero();
  }

  @Test
  void aDeclinedCardIs402SayingWhatToDoAndReleasesTheStock() {
    Placed placed = placed("tok_decline_card");
    JsonObject problem = problem(placed.response(), 402, "payment-declined");
    assertThat(problem.getString("decline_code")).isEqualTo("card_declined");
    assertThat(problem.getString("detail")).contains("another card");
    assertReleased(placed);
    assertThat(placed.payment().get("status").s()).isEqualTo("declined");
    assertThat(charges(placed)).isZero();
  }

  @Test
  void aProviderThatDoesNotAnswerIs503WithRetryAfterAndReleasesTheStock() {
    Placed placed = placed("tok_timeout");
    problem(placed.response(), 503, "unavailable");
    assertThat(placed.response().getHeader("Retry-After")).isNotBlank();
    assertReleased(placed);
    // the key is voided: an authorization that lands late at the provider is voided there too, never kept
    assertThat(placed.payment().get("status").s()).isEqualTo("voided");
    assertThat(placed.payment()).containsKey("provider_voided");
  }

  @Test
  void transientProviderErrorsAreRetriedIntoOneCharge() {
    Placed placed = placed("tok_transient_error");
    assertThat(placed.response().statusCode()).as(placed.response().bodyAsString()).isEqualTo(201);
    assertCommitted(placed);
    assertThat(placed.payment().get("status").s()).isEqualTo("authorized");
    assertThat(charges(placed)).isEqualTo(1);
    assertThat(calls(placed)).as("two failures, then the approval").isEqualTo(3);
  }

  @Test
  void aRiskyCardIsApprovedAndFlaggedOnThePaymentRecord() {
    Placed placed = placed("tok_review");
    assertThat(placed.response().statusCode()).as(placed.response().bodyAsString()).isEqualTo(201);
    assertCommitted(placed);
    assertThat(placed.payment().get("status").s()).isEqualTo("authorized");
    assertThat(placed.payment().get("review").bool()).isTrue();
  }

  private record Placed(String sku, Customer customer, String key, HttpResponse<Buffer> response,
      Map<String, AttributeValue> payment) {}

  /** A checkout of 2 units (of 5 on hand) paid with {@code token}. */
  private static Placed placed(String token) {
    String sku = fx.product("pay", "12.00", 5);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 2);
    String key = CheckoutFixtures.key();
    HttpResponse<Buffer> response = fx.checkout(customer, key, CheckoutFixtures.body(token));
    Map<String, AttributeValue> payment = fx.payment(customer.id(), key);
    assertThat(payment).as("the payment record").isNotEmpty().doesNotContainKeys("token", "payment_token");
    assertThat(payment.values()).as("no attribute holds the token")
        .noneMatch(value -> token.equals(value.s()));
    return new Placed(sku, customer, key, response, payment);
  }

  private static void assertCommitted(Placed placed) {
    JsonObject stock = fx.inventory(placed.sku());
    assertThat(stock.getInteger("on_hand")).isEqualTo(3);
    assertThat(stock.getInteger("held")).isZero();
    String orderId = CheckoutIds.of(placed.customer().id(), placed.key()).orderId();
    assertThat(api.get("/api/v1/orders/" + orderId, placed.customer().token()).statusCode()).isEqualTo(200);
  }

  private static void assertReleased(Placed placed) {
    JsonObject stock = fx.inventory(placed.sku());
    assertThat(stock.getInteger("on_hand")).isEqualTo(5);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(stock.getInteger("available")).isEqualTo(5);
    String orderId = CheckoutIds.of(placed.customer().id(), placed.key()).orderId();
    assertThat(api.get("/api/v1/orders/" + orderId, placed.customer().token()).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/orders", placed.customer().token()).bodyAsJsonObject().getJsonArray("items"))
        .isEmpty();
    // the cart is kept, so the shopper can pay another way
    assertThat(api.get("/api/v1/cart", placed.customer().token()).bodyAsJsonObject().getJsonArray("lines"))
        .hasSize(1);
  }

  private static int charges(Placed placed) {
    String paymentKey = CheckoutIds.of(placed.customer().id(), placed.key()).paymentKey();
    return api.store().vertx().sharedData().<String, String>getLocalMap(SANDBOX_CHARGES).containsKey(paymentKey)
        ? 1 : 0;
  }

  private static int calls(Placed placed) {
    String paymentKey = CheckoutIds.of(placed.customer().id(), placed.key()).paymentKey();
    Integer calls = api.store().vertx().sharedData().<String, Integer>getLocalMap(SANDBOX_CALLS).get(paymentKey);
    return calls == null ? 0 : calls;
  }

  private static JsonObject problem(HttpResponse<Buffer> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).endsWith("/problems/" + slug);
    return problem;
  }
}
