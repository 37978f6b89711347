package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What checkout refuses, and that a refusal leaves stock, orders and charges as they were. */
@WebstoreTest
class CheckoutRulesTest {

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @Test
  void anEmptyCartIs422AndTheAnswerIsKeptForTheKey() {
    Customer customer = fx.signedUpCustomer();
    String key = CheckoutFixtures.key();
    HttpResponse<Buffer> empty = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve"));
    JsonObject problem = problem(empty, 422, "validation");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("cart");
    assertThat(problem.getString("instance")).isEqualTo(CheckoutFixtures.CHECKOUT);
    assertThat(fx.checkout(customer, key, CheckoutFixtures.body("tok_approve")).bodyAsString())
        .isEqualTo(empty.bodyAsString());
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void aBadAddressIs422NamingTheFieldAndTouchesNothing() {
    String sku = fx.product("addr", "9.00", 3);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 1);
    String key = CheckoutFixtures.key();

    JsonObject badCountry = CheckoutFixtures.body("tok_approve")
        .put("shipping_address", CheckoutFixtures.address().put("country", "Germany"));
    assertThat(pointers(problem(fx.checkout(customer, key, badCountry), 422, "validation")))
        .contains("/shipping_address/country");

    JsonObject noCity = CheckoutFixtures.body("tok_approve");
    noCity.getJsonObject("shipping_address").remove("city");
    assertThat(fx.checkout(customer, key, noCity).statusCode()).isEqualTo(422);

    JsonObject blankName = CheckoutFixtures.body("tok_approve")
        .put("shipping_address", CheckoutFixtures.address().put("name", "   "));
    assertThat(pointers(problem(fx.checkout(customer, key, blankName), 422, "validation")))
        .containsExactly("/shipping_address/name");

    JsonObject longLine = CheckoutFixtures.body("tok_approve")
        .put("shipping_address", CheckoutFixtures.address().put("line1", "x".repeat(201)));
    assertThat(pointers(problem(fx.checkout(customer, key, longLine), 422, "validation")))
        .contains("/shipping_address/line1");

    JsonObject unknownField = CheckoutFixtures.body("tok_approve").put("discount", "100%");
    assertThat(fx.checkout(customer, key, unknownField).statusCode()).isEqualTo(422);

    // none of these claimed the key: the valid request still places the order
    assertThat(fx.idempotency(customer.id(), key)).isEmpty();
    assertThat(fx.checkout(customer, key, CheckoutFixtures.body("tok_approve")).statusCode()).isEqualTo(201);
  }

  @Test
  void theIdempotencyKeyIsRequiredAndChecked() {
    String sku = fx.product("nokey", "9.00", 3);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 1);
    problem(fx.checkout(customer, null, CheckoutFixtures.body("tok_approve")), 400, "bad-request");
    problem(fx.checkout(customer, "short", CheckoutFixtures.body("tok_approve")), 400, "bad-request");
    problem(fx.checkout(customer, "has spaces in it", CheckoutFixtures.body("tok_approve")), 400, "bad-request");
    problem(fx.checkout(customer, "k".repeat(129), CheckoutFixtures.body("tok_approve")), 400, "bad-request");
    assertThat(fx.inventory(sku).getInteger("held")).isZero();
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void checkoutNeedsABearerToken() {
    HttpResponse<Buffer> anonymous = api.call(HttpMethod.POST, CheckoutFixtures.CHECKOUT, null,
        CheckoutFixtures.body("tok_approve"));
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void aDeclinedPaymentIs402ReleasesTheStockAndPlacesNoOrder() {
    String sku = fx.product("decline", "30.00", 4);
    Customer customer = fx.signedUpCustomer();
    fx.addToCart(customer, sku, 3);
    String key = CheckoutFixtures.key();

    HttpResponse<Buffer> declined = fx.checkout(customer, key, CheckoutFixtures.body("tok_decline"));
    problem(declined, 402, "payment-declined");

    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).isEqualTo(4);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(stock.getInteger("available")).isEqualTo(4);
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(api.get("/api/v1/orders/" + CheckoutIds.of(customer.id(), key).orderId(), customer.token())
        .statusCode()).isEqualTo(404);
    Map<String, AttributeValue> payment = fx.payment(customer.id(), key);
    assertThat(payment.get("status").s()).isEqualTo("declined");
    assertThat(payment).doesNotContainKey("token");
    assertThat(fx.idempotency(customer.id(), key)).doesNotContainKey("pending");
    // the cart is kept: the customer may pay with another token under a new key
    assertThat(api.get("/api/v1/cart", customer.token()).bodyAsJsonObject().getJsonArray("lines")).hasSize(1);
    assertThat(fx.checkout(customer, key, CheckoutFixtures.body("tok_decline")).bodyAsString())
        .isEqualTo(declined.bodyAsString());

    HttpResponse<Buffer> otherToken = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("other"));
    problem(otherToken, 402, "payment-declined");
    assertThat(fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve")).statusCode())
        .isEqualTo(201);
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(1);
  }

  @Test
  void aSaleLimitCountsAcrossOrdersAndACancellationGivesItBack() {
    String sku = fx.product("limited", "20.00", 10);
    String sale = fx.sale(sku, "15.00", 2);
    Customer customer = fx.mintedCustomer();

    fx.addToCart(customer, sku, 2);
    HttpResponse<Buffer> first = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    JsonObject line = first.bodyAsJsonObject().getJsonArray("lines").getJsonObject(0);
    assertThat(line.getString("sale_id")).isEqualTo(sale);
    assertThat(line.getJsonObject("unit_price").getString("amount")).isEqualTo("15.00");

    fx.addToCart(customer, sku, 1);
    HttpResponse<Buffer> over = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    JsonObject problem = problem(over, 409, "conflict");
    assertThat(problem.getString("sale_id")).isEqualTo(sale);
    assertThat(problem.getInteger("limit")).isEqualTo(2);
    assertThat(fx.inventory(sku).getInteger("held")).isZero();
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(8);

    HttpResponse<Buffer> cancelled = api.call(HttpMethod.POST,
        "/api/v1/orders/" + first.bodyAsJsonObject().getString("id") + "/cancel", customer.token(), null);
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> again = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(201);
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(9);
  }

  private static JsonObject problem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/" + type);
    return problem;
  }

  private static List<String> pointers(JsonObject problem) {
    return problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")).toList();
  }
}
