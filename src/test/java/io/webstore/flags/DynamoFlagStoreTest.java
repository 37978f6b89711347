package io.webstore.flags;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;

/** The flag-store contract, on DynamoDB (the dev engine). */
class DynamoFlagStoreTest extends FlagStoreContract {

  @Override
  protected Future<FlagStore> createStore() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoFlagStore.TABLE)
        .map(table -> new DynamoFlagStore(services.vertx(), services.aws().dynamo(), table, services.meters()));
  }
}
