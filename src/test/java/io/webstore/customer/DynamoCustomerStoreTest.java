package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;

/** The customer-store contract, on DynamoDB (the dev engine). */
class DynamoCustomerStoreTest extends CustomerStoreContract {

  @Override
  protected Future<CustomerStore> createStore() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoCustomerStore.TABLE)
        .map(table -> new DynamoCustomerStore(services.vertx(), services.aws().dynamo(), table, services.meters()));
  }
}
