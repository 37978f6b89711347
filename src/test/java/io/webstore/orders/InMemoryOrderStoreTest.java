package io.webstore.orders;

import io.vertx.core.Future;

/** The order-store contract, in memory. */
class InMemoryOrderStoreTest extends OrderStoreContract {

  @Override
  protected Future<OrderStore> createStore() {
    return Future.succeededFuture(new InMemoryOrderStore());
  }
}
