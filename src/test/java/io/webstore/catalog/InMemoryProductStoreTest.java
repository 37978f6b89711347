package io.webstore.catalog;

import io.vertx.core.Future;

/** The product-store contract, in memory. */
class InMemoryProductStoreTest extends ProductStoreContract {

  @Override
  protected Future<ProductStore> createStore() {
    return Future.succeededFuture(new InMemoryProductStore());
  }
}
