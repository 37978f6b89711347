package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.WebStore;
import io.webstore.cart.CartClient;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import org.junit.jupiter.api.BeforeAll;

/**
 * The saga ports' contract on the real features: {@link ClientPorts} over the event bus of the shared store on the dev
 * engines, products and stock put through the admin HTTP API, cart lines through the cart's own client.
 */
@WebstoreTest
class ClientSagaPortsTest extends SagaPortsContract {

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void fixtures() {
    fx = new CheckoutFixtures(api);
  }

  @Override
  protected SagaPorts createPorts() {
    WebStore store = api.store();
    return ClientPorts.of(store.vertx(), CheckoutSettings.from(store.services().config()),
        new InMemoryIdempotencyStore());
  }

  @Override
  protected String product(String price, int onHand) {
    return fx.product("ports", price, onHand);
  }

  @Override
  protected String sale(String sku, String price, int perCustomerLimit) {
    return fx.sale(sku, price, perCustomerLimit);
  }

  @Override
  protected void addToCart(String customerId, String sku, int quantity) {
    var added = Engines.await(new CartClient(api.store().vertx()).add(CartClient.customer(customerId), sku, quantity));
    assertThat(added.lines()).isNotEmpty();
  }
}
