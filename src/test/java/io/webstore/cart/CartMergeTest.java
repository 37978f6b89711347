package io.webstore.cart;

import io.webstore.platform.money.Amount;
import static io.webstore.cart.CartFixtures.CART;
import static io.webstore.cart.CartFixtures.ITEMS;
import static io.webstore.cart.CartFixtures.add;
import static io.webstore.cart.CartFixtures.call;
import static io.webstore.cart.CartFixtures.customerToken;
import static io.webstore.cart.CartFixtures.line;
import static io.webstore.cart.CartFixtures.none;
import static io.webstore.cart.CartFixtures.ok;
import static io.webstore.cart.CartFixtures.product;
import static io.webstore.cart.CartFixtures.sessionHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.platform.error.Validation;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WebstoreTest
class CartMergeTest {

  @Shared static Api api;
  static CartClient carts;

  @BeforeAll
  static void start() {
    carts = new CartClient(api.store().vertx());
  }

  @Test
  void mergeMovesGuestLinesCappedByLimitsEmptiesTheGuestCartAndIsIdempotent() {
    String both = product(api, "merge", "Tea", "5.00", "USD", 50);
    String guestOnly = product(api, "merge", "Cup", "3.00", "USD", 50);
    String customer = UUID.randomUUID().toString();
    String token = customerToken(api, customer);
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(both, 5)));
    String sid = guestWith(both, 8);
    ok(call(api, HttpMethod.POST, ITEMS, null, sessionHeader(sid), add(guestOnly, 2)));

    PricedCart merged = Engines.await(carts.merge(Owners.session(sid), Owners.customer(customer)));

    assertThat(merged.owner()).isEqualTo("customer:" + customer);
    assertThat(merged.lines()).extracting(PricedCart.Line::sku, PricedCart.Line::quantity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(both, 10), // 5 + 8, capped at the per-line limit
            org.assertj.core.groups.Tuple.tuple(guestOnly, 2));
    assertThat(merged.subtotal()).isEqualTo(new Amount(new java.math.BigDecimal("56.00"), "USD"));
    JsonObject customerCart = ok(call(api, HttpMethod.GET, CART, token, none(), null));
    assertThat(line(customerCart, both).getInteger("quantity")).isEqualTo(10);
    assertThat(line(customerCart, guestOnly).getInteger("quantity")).isEqualTo(2);
    assertThat(ok(call(api, HttpMethod.GET, CART, null, sessionHeader(sid), null)).getJsonArray("lines")).isEmpty();

    PricedCart again = Engines.await(carts.merge(Owners.session(sid), Owners.customer(customer)));
    assertThat(again.version()).isEqualTo(merged.version());
    assertThat(again.lines()).isEqualTo(merged.lines());
  }

  @Test
  void busRepliesCarryTheOwnerAndTheDocumentedShape() {
    String sku = product(api, "bus", "Notebook", "4.20", "USD", 10);
    String owner = Owners.customer(UUID.randomUUID().toString());
    EventBus bus = api.store().vertx().eventBus();

    JsonObject added = Engines.await(bus.<JsonObject>request(CartClient.ADD,
        new JsonObject().put("owner", owner).put("sku", sku).put("quantity", 2))).body();
    assertThat(added.fieldNames()).containsExactlyInAnyOrder("owner", "id", "lines", "totals", "version");
    assertThat(added.getString("owner")).isEqualTo(owner);
    assertThat(added.getJsonArray("lines").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("sku", sku).put("name", "Notebook").put("quantity", 2)
        .put("unit_price", new JsonObject().put("amount", "4.20").put("currency", "USD"))
        .put("line_total", new JsonObject().put("amount", "8.40").put("currency", "USD")));

    JsonObject read = Engines.await(bus.<JsonObject>request(CartClient.GET, new JsonObject().put("owner", owner)))
        .body();
    assertThat(read).isEqualTo(added);

    assertThat(Engines.await(carts.update(owner, sku, 3)).items()).isEqualTo(3);
    assertThat(Engines.await(carts.remove(owner, sku)).lines()).isEmpty();
    assertThat(Engines.await(carts.add(owner, sku, 1)).lines()).hasSize(1);
    assertThat(Engines.await(carts.clear(owner)).lines()).isEmpty();
    assertThatThrownBy(() -> Engines.await(carts.get("somebody"))).isInstanceOf(Validation.class);
  }

  @Test
  void mergeOfAnUnknownSessionMergesNothing() {
    String sku = product(api, "nomerge", "Kettle", "40.00", "USD", 10);
    String customer = UUID.randomUUID().toString();
    ok(call(api, HttpMethod.POST, ITEMS, customerToken(api, customer), none(), add(sku, 1)));

    PricedCart after = Engines.await(carts.merge(Owners.session("AAAAAAAAAAAAAAAAAAAAAA"),
        Owners.customer(customer)));
    assertThat(after.lines()).extracting(PricedCart.Line::quantity).containsExactly(1);
    assertThatThrownBy(() -> Engines.await(carts.merge(Owners.customer(customer), Owners.session("x"))))
        .isInstanceOf(Validation.class);
  }

  @Test
  void loginWithAGuestSessionMergesTheGuestCart() {
    String sku = product(api, "login", "Scarf", "22.00", "USD", 10);
    String sid = guestWith(sku, 2);
    String email = "cart-" + UUID.randomUUID() + "@example.com";
    String password = "Cart-merge-password-1";
    HttpResponse<Buffer> signUp = api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", password));
    assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);

    HttpResponse<Buffer> login = call(api, HttpMethod.POST, "/api/v1/auth/login", null, CartFixtures.cookie(sid),
        new JsonObject().put("email", email).put("password", password));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    String token = login.bodyAsJsonObject().getString("access_token");

    JsonObject cart = ok(call(api, HttpMethod.GET, CART, token, none(), null));
    assertThat(line(cart, sku).getInteger("quantity")).isEqualTo(2);
    assertThat(ok(call(api, HttpMethod.GET, CART, null, sessionHeader(sid), null)).getJsonArray("lines")).isEmpty();
  }

  @Test
  void loginWithoutAGuestSessionStillWorks() {
    String email = "cart-" + UUID.randomUUID() + "@example.com";
    String password = "Cart-merge-password-1";
    assertThat(api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", password)).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> login = call(api, HttpMethod.POST, "/api/v1/auth/login", null,
        sessionHeader("AAAAAAAAAAAAAAAAAAAAAA"), new JsonObject().put("email", email).put("password", password));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
  }

  /** A new guest session whose cart holds {@code quantity} units of {@code sku}; answers the session id. */
  private static String guestWith(String sku, int quantity) {
    HttpResponse<Buffer> added = call(api, HttpMethod.POST, ITEMS, null, none(), add(sku, quantity));
    assertThat(line(ok(added), sku).getInteger("quantity")).isEqualTo(quantity);
    return added.getHeader("X-Session-Id");
  }
}
