package io.webstore.orders;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;

/** The order-store contract, on DynamoDB (the dev engine). */
class DynamoOrderStoreTest extends OrderStoreContract {

  @Override
  protected Future<OrderStore> createStore() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoOrderStore.TABLE)
        .map(table -> new DynamoOrderStore(services.vertx(), services.aws().dynamo(), table, services.meters()));
  }
}
