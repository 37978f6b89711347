package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.HeldReplies;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** One Idempotency-Key, many requests: one order, one charge, one answer. Customers log in for real. */
@WebstoreTest
class CheckoutIdempotencyTest {

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @Test
  void twentyConcurrentRequestsWithOneKeyPlaceOneOrderAndAllGetTheSameAnswer() {
    String sku = fx.product("idem", "12.50", 10);
    Customer customer = fx.signedUpCustomer();
    fx.addToCart(customer, sku, 2);
    String key = CheckoutFixtures.key();
    JsonObject body = CheckoutFixtures.body("tok_approve");

    List<HttpResponse<Buffer>> responses = Engines.await(Future.all(IntStream.range(0, 20)
            .mapToObj(i -> CheckoutFixtures.checkout(api.client(), api.port(), customer, key, body)).toList()))
        .list();

    HttpResponse<Buffer> first = responses.get(0);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    assertThat(responses).allSatisfy(response -> {
      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.bodyAsString()).isEqualTo(first.bodyAsString());
      assertThat(response.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    });
    assertThat(responses.stream().filter(r -> "true".equals(r.getHeader("Idempotent-Replayed"))).count())
        .as("replays").isEqualTo(19);
    JsonObject order = first.bodyAsJsonObject();
    assertThat(order.getJsonObject("totals").getInteger("items")).isEqualTo(2);
    assertThat(order.getJsonObject("totals").getJsonObject("total").getString("amount")).isEqualTo("25.00");

    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).isEqualTo(8);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(fx.payments(List.of(customer.id()))).hasSize(1)
        .allSatisfy(item -> assertThat(item.get("status").s()).isEqualTo("authorized"));
    JsonObject mine = api.get("/api/v1/orders", customer.token()).bodyAsJsonObject();
    assertThat(mine.getJsonArray("items")).hasSize(1);
    assertThat(mine.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(order.getString("id"));
    assertThat(api.get("/api/v1/cart", customer.token()).bodyAsJsonObject().getJsonArray("lines")).isEmpty();

    HttpResponse<Buffer> otherBody = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve")
        .put("shipping_address", CheckoutFixtures.address().put("city", "Hamburg")));
    assertThat(otherBody.statusCode()).as(otherBody.bodyAsString()).isEqualTo(422);
    assertThat(otherBody.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("Idempotency-Key");

    HttpResponse<Buffer> later = fx.checkout(customer, key, body);
    assertThat(later.statusCode()).isEqualTo(201);
    assertThat(later.bodyAsString()).isEqualTo(first.bodyAsString());
    assertThat(later.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(8);
    assertThat(fx.payments(List.of(customer.id()))).hasSize(1);
  }

  @Test
  void anotherBodyWithTheKeyOfACheckoutStillRunningIs422AndHasNoEffect() {
    String sku = fx.product("idem-run", "8.00", 10);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 3);
    String key = CheckoutFixtures.key();
    String paymentKey = CheckoutIds.of(customer.id(), key).paymentKey();
    Future<HttpResponse<Buffer>> first;
    // the first checkout is held in flight at its payment (the charge reached the engine, its reply waits) while
    // the second request, with another body, comes in
    try (HeldReplies.Hold hold = HeldReplies.hold(request -> request instanceof PutItemRequest put
        && put.tableName().endsWith("-payments") && put.item().get("pk").s().equals(paymentKey))) {
      first = CheckoutFixtures.checkout(api.client(), api.port(), customer, key, CheckoutFixtures.body("tok_approve"));
      Deadline.await("the first checkout at its payment", Duration.ofSeconds(30), hold::holding);
      assertThat(fx.idempotency(customer.id(), key)).containsKey("pending");
      HttpResponse<Buffer> other = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve")
          .put("shipping_address", CheckoutFixtures.address().put("city", "Hamburg")));
      assertThat(first.isComplete()).as("the first checkout is still running").isFalse();
      assertThat(other.statusCode()).as(other.bodyAsString()).isEqualTo(422);
      assertThat(other.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("Idempotency-Key");
    }
    HttpResponse<Buffer> placed = Engines.await(first);
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    assertThat(placed.getHeader("Idempotent-Replayed")).isNull();
    JsonObject order = placed.bodyAsJsonObject();
    JsonObject stored = api.get("/api/v1/orders/" + order.getString("id"), customer.token()).bodyAsJsonObject();
    assertThat(stored.getJsonObject("shipping_address").getString("city")).isEqualTo("Berlin");
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(fx.payments(List.of(customer.id()))).hasSize(1);
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).isEqualTo(7);
    assertThat(stock.getInteger("held")).isZero();
  }

  @Test
  void theSameBodyWithMembersInAnotherOrderIsTheSameRequest() {
    String sku = fx.product("idem-order", "5.00", 5);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 1);
    String key = CheckoutFixtures.key();
    HttpResponse<Buffer> first = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve"));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);

    JsonObject reordered = new JsonObject().put("payment_token", "tok_approve").put("shipping_address",
        new JsonObject().put("country", "DE").put("postal_code", "10115").put("city", "Berlin")
            .put("line1", "1 Test Street").put("name", "Ada Buyer"));
    HttpResponse<Buffer> again = fx.checkout(customer, key, reordered);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.bodyAsString()).isEqualTo(first.bodyAsString());
  }

  @Test
  void aKeyIsPerCustomer() {
    String sku = fx.product("idem-cust", "4.00", 5);
    Customer one = fx.mintedCustomer();
    Customer two = fx.mintedCustomer();
    fx.addToCart(one, sku, 1);
    fx.addToCart(two, sku, 1);
    String key = CheckoutFixtures.key();
    HttpResponse<Buffer> first = fx.checkout(one, key, CheckoutFixtures.body("tok_approve"));
    HttpResponse<Buffer> second = fx.checkout(two, key, CheckoutFixtures.body("tok_approve"));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(second.bodyAsJsonObject().getString("id")).isNotEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(3);
  }
}
