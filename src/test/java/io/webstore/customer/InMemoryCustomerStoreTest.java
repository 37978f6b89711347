package io.webstore.customer;

import io.vertx.core.Future;

/** The customer-store contract, in memory. */
class InMemoryCustomerStoreTest extends CustomerStoreContract {

  @Override
  protected Future<CustomerStore> createStore() {
    return Future.succeededFuture(new InMemoryCustomerStore());
  }
}
