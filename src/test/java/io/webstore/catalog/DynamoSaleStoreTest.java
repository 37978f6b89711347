package io.webstore.catalog;

import io.vertx.core.Future;

/** The sale-store contract, on DynamoDB (the dev engine). */
class DynamoSaleStoreTest extends SaleStoreContract {

  @Override
  protected Future<SaleStore> createStore() {
    return CatalogContractTables.table("sales").map(DynamoSaleStore::new);
  }
}
