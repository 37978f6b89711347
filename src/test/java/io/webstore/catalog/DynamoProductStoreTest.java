package io.webstore.catalog;

import io.vertx.core.Future;

/** The product-store contract, on DynamoDB (the dev engine). */
class DynamoProductStoreTest extends ProductStoreContract {

  @Override
  protected Future<ProductStore> createStore() {
    return CatalogContractTables.table("products").map(table -> new DynamoProductStore(table, 2));
  }
}
