package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;

/** The session-store contract, on DynamoDB (the dev engine). */
class DynamoSessionStoreTest extends SessionStoreContract {

  @Override
  protected Future<SessionStore> createStore() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoSessionStore.TABLE).map(table -> new DynamoSessionStore(services.vertx(),
        services.aws().dynamo(), table, services.meters()));
  }
}
