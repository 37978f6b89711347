package io.webstore.platform.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.testing.Api;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Control characters (C0, DEL, C1) and bidirectional overrides in what a customer types are 422 naming the field,
 * through every feature that takes such text, and nothing is created.
 */
@WebstoreTest
class ControlCharactersHttpTest {

  /** One of each kind: NUL, a line break, DEL, C1 NEL, right-to-left override, first-strong isolate. */
  static final List<String> REFUSED = List.of("\u0000", "\n", "\u007F", "\u0085", "\u202E", "\u2068");
  static final String PASSWORD = "Correct-horse-9-battery";

  @Shared static Api api;
  static CheckoutFixtures fixtures;

  @BeforeAll
  static void start() {
    fixtures = new CheckoutFixtures(api);
  }

  @Test
  void signUpRefusesEveryKindInTheEmailAndCreatesNoAccount() {
    for (String refused : REFUSED) {
      String email = "c-" + UUID.randomUUID() + "@example.com";
      for (String tainted : List.of(email + refused, refused + email, email.replace("@", refused + "@"))) {
        assertRefused(signUp(tainted), "/email");
      }
      // trimming would have turned "<email>\0" into <email>: it must still be free
      HttpResponse<Buffer> clean = signUp(email);
      assertThat(clean.statusCode()).as(clean.bodyAsString()).isEqualTo(201);
    }
  }

  @Test
  void logInRefusesControlCharactersInTheEmail() {
    String email = "c-" + UUID.randomUUID() + "@example.com";
    assertThat(signUp(email).statusCode()).isEqualTo(201);
    for (String refused : REFUSED) {
      HttpResponse<Buffer> answer = api.call(HttpMethod.POST, "/api/v1/auth/login", null,
          new JsonObject().put("email", email + refused).put("password", PASSWORD));
      assertRefused(answer, "/email");
    }
  }

  @Test
  void checkoutRefusesEveryAddressFieldAndCreatesNoOrder() {
    String sku = fixtures.product("CTRL", "5.00", 10);
    CheckoutFixtures.Customer customer = fixtures.signedUpCustomer();
    fixtures.addToCart(customer, sku, 1);
    for (String field : List.of("name", "line1", "line2", "city", "region")) {
      for (String refused : List.of("\u0000", "\u202E")) {
        JsonObject address = CheckoutFixtures.address().put(field, "Some" + refused + "thing");
        String key = CheckoutFixtures.key();
        HttpResponse<Buffer> answer = fixtures.checkout(customer, key,
            new JsonObject().put("shipping_address", address).put("payment_token", "tok_approve"));
        assertRefused(answer, "/shipping_address/" + field);
        assertThat(fixtures.payment(customer.id(), key)).as("no charge").isEmpty();
      }
    }
    HttpResponse<Buffer> orders = api.get("/api/v1/orders", customer.token());
    assertThat(orders.statusCode()).isEqualTo(200);
    assertThat(orders.bodyAsJsonObject().getJsonArray("items")).as(orders.bodyAsString()).isEmpty();
    HttpResponse<Buffer> cart = api.get("/api/v1/cart", customer.token());
    assertThat(cart.bodyAsJsonObject().getJsonArray("lines")).hasSize(1);
    assertThat(fixtures.inventory(sku).getInteger("held")).isZero();
  }

  @Test
  void productNamesRefuseControlCharactersToo() {
    String sku = CheckoutFixtures.uniqueSku("CTRL-NAME");
    HttpResponse<Buffer> answer = api.call(HttpMethod.PUT, "/api/v1/admin/products/" + sku, fixtures.admin(),
        new JsonObject().put("name", "Lamp\u202Epmal").put("description", "two lines\nare fine here")
            .put("price", new JsonObject().put("amount", "5.00").put("currency", "USD"))
            .put("category", "checkout-tests"));
    assertRefused(answer, "/name");
    assertThat(api.get("/api/v1/products/" + sku, null).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<Buffer> signUp(String email) {
    return api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", PASSWORD));
  }

  private static void assertRefused(HttpResponse<Buffer> answer, String pointer) {
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(422);
    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = answer.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/validation");
    assertThat(problem.getJsonArray("errors").stream().map(JsonObject.class::cast)
        .map(error -> error.getString("pointer"))).contains(pointer);
  }
}
