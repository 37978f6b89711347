package io.webstore.catalog;

import io.vertx.core.Future;

/** The store-locations contract, in memory. */
class InMemoryStoreLocationsTest extends StoreLocationsContract {

  @Override
  protected Future<StoreLocations> createStore() {
    return Future.succeededFuture(new InMemoryStoreLocations());
  }
}
