package io.webstore.catalog;

import io.vertx.core.Future;

/** The sale-store contract, in memory. */
class InMemorySaleStoreTest extends SaleStoreContract {

  @Override
  protected Future<SaleStore> createStore() {
    return Future.succeededFuture(new InMemorySaleStore());
  }
}
