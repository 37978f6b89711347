package io.webstore.cart;

import static io.webstore.cart.CartFixtures.CART;
import static io.webstore.cart.CartFixtures.ITEMS;
import static io.webstore.cart.CartFixtures.add;
import static io.webstore.cart.CartFixtures.call;
import static io.webstore.cart.CartFixtures.line;
import static io.webstore.cart.CartFixtures.none;
import static io.webstore.cart.CartFixtures.ok;
import static io.webstore.cart.CartFixtures.problem;
import static io.webstore.cart.CartFixtures.product;
import static io.webstore.cart.CartFixtures.sessionHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.inventory.HoldLine;
import io.webstore.inventory.InventoryClient;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's memory of sold-out SKUs ({@code cart.soldOutMemoryMs}, a minute here so that only a change of stock can
 * end an entry within a test): a repeat sold-out add is answered from it, and a change of the SKU's stock heard by
 * the store (a restock through the admin API, a released hold) lets the very next add in.
 */
@WebstoreTest
class CartSoldOutMemoryTest {

  static WebStore store;
  static Api api;

  @BeforeAll
  static void start(Stores stores) {
    store = stores.start(new JsonObject().put("cart", new JsonObject().put("soldOutMemoryMs", 60_000)));
    api = stores.api(store);
  }

  @Test
  void aRestockThroughTheAdminApiLetsTheNextAddInAtOnce() {
    String sku = product(api, "memo", "Remembered drone", "199.00", "USD", 0);
    MultiMap guest = guest();

    double before = remembered();
    problem(call(api, HttpMethod.POST, ITEMS, null, guest, add(sku, 1)), 409, "out-of-stock");
    JsonObject again = problem(call(api, HttpMethod.POST, ITEMS, null, guest, add(sku, 1)), 409, "out-of-stock");
    assertThat(again.getString("detail")).isEqualTo(sku + " is out of stock");
    assertThat(remembered() - before).as("sold-out adds answered from memory").isEqualTo(1.0);

    CartFixtures.stock(api, sku, 5);
    JsonObject cart = ok(call(api, HttpMethod.POST, ITEMS, null, guest, add(sku, 2)));
    assertThat(line(cart, sku).getInteger("quantity")).isEqualTo(2);
    assertThat(remembered() - before).as("sold-out adds answered from memory").isEqualTo(1.0);
  }

  @Test
  void aReleasedHoldLetsTheNextAddInAtOnce() {
    String sku = product(api, "memo", "Remembered console", "399.00", "USD", 1);
    MultiMap guest = guest();
    InventoryClient inventory = new InventoryClient(store.services().vertx());
    String holdId = "memo-" + UUID.randomUUID();
    Engines.await(inventory.hold(holdId, List.of(new HoldLine(sku, 1))));

    double before = remembered();
    problem(call(api, HttpMethod.POST, ITEMS, null, guest, add(sku, 1)), 409, "out-of-stock");
    problem(call(api, HttpMethod.POST, ITEMS, null, guest, add(sku, 1)), 409, "out-of-stock");
    assertThat(remembered() - before).as("sold-out adds answered from memory").isEqualTo(1.0);

    assertThat(Engines.await(inventory.release(holdId))).isTrue();
    JsonObject cart = ok(call(api, HttpMethod.POST, ITEMS, null, guest, add(sku, 1)));
    assertThat(line(cart, sku).getInteger("quantity")).isEqualTo(1);
  }

  @Test
  void anUnknownSkuIsNotFoundEachTimeAndNeverRemembered() {
    String unknown = CartFixtures.uniqueSku("memo-unknown");
    MultiMap guest = guest();

    double before = remembered();
    for (int i = 0; i < 3; i++) {
      problem(call(api, HttpMethod.POST, ITEMS, null, guest, add(unknown, 1)), 404, "not-found");
    }
    assertThat(remembered() - before).as("adds answered from memory").isZero();
  }

  private static MultiMap guest() {
    String sid = call(api, HttpMethod.GET, CART, null, none(), null).getHeader("X-Session-Id");
    MultiMap guest = sessionHeader(sid);
    ok(call(api, HttpMethod.GET, CART, null, guest, null));
    return guest;
  }

  private static double remembered() {
    return store.services().meters().find("webstore.cart.soldout.remembered").counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
