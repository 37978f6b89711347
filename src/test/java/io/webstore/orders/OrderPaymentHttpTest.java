package io.webstore.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An order's money after checkout: captured when an admin moves it to {@code shipped}, refunded in part or in full
 * through {@code POST /api/v1/admin/orders/{id}/refund}; a refund before the capture, or above what is left, is
 * refused and changes nothing.
 */
@WebstoreTest
class OrderPaymentHttpTest {

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @Test
  void shippingCapturesAndRefundsGoInPartsThenInFull() {
    Customer customer = fx.mintedCustomer();
    String sku = fx.product("refund", "20.00", 5);
    JsonObject order = place(customer, sku, 2); // 40.00 USD
    String id = order.getString("id");

    HttpResponse<Buffer> early = refund(id, fx.admin(), null);
    assertThat(early.statusCode()).as("not captured yet: " + early.bodyAsString()).isEqualTo(409);
    assertThat(payment(customer).get("status").s()).isEqualTo("authorized");

    for (String next : List.of("paid", "fulfilling", "shipped")) {
      HttpResponse<Buffer> moved = setStatus(id, next);
      assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
    }
    Map<String, AttributeValue> captured = payment(customer);
    assertThat(captured.get("status").s()).isEqualTo("captured");
    assertThat(captured.get("captured").s()).isEqualTo("40.00");

    HttpResponse<Buffer> notAdmin = refund(id, customer.token(), null);
    assertThat(notAdmin.statusCode()).isEqualTo(403);

    HttpResponse<Buffer> part = refund(id, fx.admin(), money("15.00"));
    assertThat(part.statusCode()).as(part.bodyAsString()).isEqualTo(200);
    assertThat(part.bodyAsJsonObject().getString("status")).isEqualTo("partially_refunded");
    assertThat(part.bodyAsJsonObject().getJsonObject("refunded").getString("amount")).isEqualTo("15.00");

    HttpResponse<Buffer> tooMuch = refund(id, fx.admin(), money("25.01"));
    assertThat(tooMuch.statusCode()).as(tooMuch.bodyAsString()).isEqualTo(422);
    assertThat(payment(customer).get("refunded").s()).isEqualTo("15.00");

    HttpResponse<Buffer> rest = refund(id, fx.admin(), null);
    assertThat(rest.statusCode()).as(rest.bodyAsString()).isEqualTo(200);
    assertThat(rest.bodyAsJsonObject().getString("status")).isEqualTo("refunded");
    assertThat(rest.bodyAsJsonObject().getJsonObject("refunded").getString("amount")).isEqualTo("40.00");

    HttpResponse<Buffer> again = refund(id, fx.admin(), money("1.00"));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(409);
    Map<String, AttributeValue> after = payment(customer);
    assertThat(after.get("status").s()).isEqualTo("refunded");
    assertThat(after.get("refunds").n()).isEqualTo("2");
  }

  @Test
  void aRefundKeyMakesOneRefundAndANewKeyAnotherWhileEnoughIsLeft() {
    Customer customer = fx.mintedCustomer();
    String sku = fx.product("refundkey", "20.00", 5);
    String id = place(customer, sku, 2).getString("id"); // 40.00 USD
    for (String next : List.of("paid", "fulfilling", "shipped")) {
      assertThat(setStatus(id, next).statusCode()).isEqualTo(200);
    }
    assertThat(payment(customer).get("status").s()).as("captured on ship").isEqualTo("captured");
    String first = "refund-" + UUID.randomUUID();

    HttpResponse<Buffer> part = refundWithKey(id, first, money("15.00"));
    assertThat(part.statusCode()).as(part.bodyAsString()).isEqualTo(200);
    assertThat(part.getHeader("Idempotent-Replayed")).isNull();
    JsonObject made = part.bodyAsJsonObject();
    assertThat(made.getString("status")).isEqualTo("partially_refunded");
    assertThat(made.getJsonObject("refund")).isEqualTo(new JsonObject().put("number", 1)
        .put("amount", new JsonObject().put("amount", "15.00").put("currency", "USD")).put("replayed", false));

    HttpResponse<Buffer> again = refundWithKey(id, first, money("15.00"));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject().getJsonObject("refund").getInteger("number")).isEqualTo(1);
    assertThat(again.bodyAsJsonObject().getJsonObject("refunded").getString("amount")).isEqualTo("15.00");
    assertThat(payment(customer).get("refunds").n()).as("one refund for the key").isEqualTo("1");

    HttpResponse<Buffer> otherAmount = refundWithKey(id, first, money("5.00"));
    assertThat(otherAmount.statusCode()).as(otherAmount.bodyAsString()).isEqualTo(422);
    assertThat(otherAmount.getHeader("Content-Type")).startsWith("application/problem+json");

    HttpResponse<Buffer> tooMuch = refundWithKey(id, "refund-" + UUID.randomUUID(), money("25.01"));
    assertThat(tooMuch.statusCode()).as(tooMuch.bodyAsString()).isEqualTo(422);
    assertThat(tooMuch.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(payment(customer).get("refunded").s()).isEqualTo("15.00");

    String second = "refund-" + UUID.randomUUID();
    HttpResponse<Buffer> rest = refundWithKey(id, second, money("25.00"));
    assertThat(rest.statusCode()).as(rest.bodyAsString()).isEqualTo(200);
    assertThat(rest.bodyAsJsonObject().getString("status")).isEqualTo("refunded");
    assertThat(rest.bodyAsJsonObject().getJsonObject("refund").getInteger("number")).isEqualTo(2);
    assertThat(rest.bodyAsJsonObject().getJsonObject("refunded").getString("amount")).isEqualTo("40.00");

    HttpResponse<Buffer> firstAgain = refundWithKey(id, first, money("15.00"));
    assertThat(firstAgain.statusCode()).as("the first key still names its refund: " + firstAgain.bodyAsString())
        .isEqualTo(200);
    assertThat(firstAgain.bodyAsJsonObject().getJsonObject("refund").getInteger("number")).isEqualTo(1);
    HttpResponse<Buffer> nothingLeft = refundWithKey(id, "refund-" + UUID.randomUUID(), money("1.00"));
    assertThat(nothingLeft.statusCode()).as(nothingLeft.bodyAsString()).isEqualTo(409);
    Map<String, AttributeValue> after = payment(customer);
    assertThat(after.get("status").s()).isEqualTo("refunded");
    assertThat(after.get("refunds").n()).isEqualTo("2");
    assertThat(after.get("refunded").s()).isEqualTo("40.00");
  }

  @Test
  void aRefundOfAnUnknownOrderIs404() {
    assertThat(refund("ord_nosuchorder", fx.admin(), null).statusCode()).isEqualTo(404);
  }

  private static JsonObject money(String amount) {
    return new JsonObject().put("amount", new JsonObject().put("amount", amount).put("currency", "USD"));
  }

  private static Map<String, AttributeValue> payment(Customer customer) {
    List<Map<String, AttributeValue>> payments = fx.payments(List.of(customer.id()));
    assertThat(payments).hasSize(1);
    return payments.get(0);
  }

  private static JsonObject place(Customer customer, String sku, int quantity) {
    fx.addToCart(customer, sku, quantity);
    HttpResponse<Buffer> created = fx.checkout(customer, CheckoutFixtures.key(),
        CheckoutFixtures.body("tok_approve"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> setStatus(String id, String status) {
    return api.call(HttpMethod.POST, "/api/v1/admin/orders/" + id + "/status", fx.admin(),
        new JsonObject().put("status", status));
  }

  private static HttpResponse<Buffer> refundWithKey(String id, String key, JsonObject body) {
    return Engines.await(api.request(HttpMethod.POST, "/api/v1/admin/orders/" + id + "/refund", fx.admin())
        .putHeader("Idempotency-Key", key)
        .sendJsonObject(body));
  }

  private static HttpResponse<Buffer> refund(String id, String token, JsonObject body) {
    return api.call(HttpMethod.POST, "/api/v1/admin/orders/" + id + "/refund", token, body);
  }
}
