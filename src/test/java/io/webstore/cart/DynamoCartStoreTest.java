package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;
import java.time.Clock;

/** The cart-store contract, on DynamoDB (the dev engine). */
class DynamoCartStoreTest extends CartStoreContract {

  @Override
  protected Future<CartStore> createStore() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoCartStore.TABLE).map(table -> new DynamoCartStore(services.vertx(),
        services.aws().dynamo(), table, services.meters(), Clock.systemUTC()));
  }
}
