package io.webstore.catalog;

import io.vertx.core.Future;

/** The store-locations contract, on DynamoDB (the dev engine). */
class DynamoStoreLocationsTest extends StoreLocationsContract {

  @Override
  protected Future<StoreLocations> createStore() {
    return CatalogContractTables.table("stores").map(table -> new DynamoStoreLocations(table, 2));
  }
}
