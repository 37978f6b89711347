package io.webstore.cart;

import io.vertx.core.Future;

/** The cart-store contract, in memory. */
class InMemoryCartStoreTest extends CartStoreContract {

  @Override
  protected Future<CartStore> createStore() {
    return Future.succeededFuture(new InMemoryCartStore());
  }
}
