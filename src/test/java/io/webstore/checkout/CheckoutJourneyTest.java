package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole way: a guest fills a cart, signs up, logs in (the cart merges) and checks out. */
@WebstoreTest
class CheckoutJourneyTest {

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @Test
  void guestCartSurvivesSignupAndLoginAndBecomesTheOrder() {
    String sku = fx.product("journey", "14.00", 5);
    HttpResponse<Buffer> guestAdd = Engines.await(api.client().post(api.port(), "localhost", "/api/v1/cart/items")
        .sendJsonObject(new JsonObject().put("sku", sku).put("quantity", 2)));
    assertThat(guestAdd.statusCode()).as(guestAdd.bodyAsString()).isEqualTo(200);
    String sid = guestAdd.getHeader("X-Session-Id");
    assertThat(sid).isNotBlank();

    String email = "journey-" + UUID.randomUUID() + "@example.com";
    String password = "Journey-password-1";
    HttpResponse<Buffer> signUp = Engines.await(api.client().post(api.port(), "localhost", "/api/v1/auth/signup")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> login = Engines.await(api.client().post(api.port(), "localhost", "/api/v1/auth/login")
        .putHeader("X-Session-Id", sid)
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    Customer customer = new Customer(signUp.bodyAsJsonObject().getString("id"),
        login.bodyAsJsonObject().getString("access_token"));

    HttpResponse<Buffer> placed = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    JsonObject line = placed.bodyAsJsonObject().getJsonArray("lines").getJsonObject(0);
    assertThat(line.getString("sku")).isEqualTo(sku);
    assertThat(line.getInteger("quantity")).isEqualTo(2);
    assertThat(placed.bodyAsJsonObject().getJsonObject("shipping_address").getString("country")).isEqualTo("DE");

    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(3);
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/api/v1/cart", customer.token()).bodyAsJsonObject().getJsonArray("lines")).isEmpty();
  }
}
