package io.webstore.checkout;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;

/** The idempotency contract, on DynamoDB (the dev engine). */
class DynamoIdempotencyStoreTest extends IdempotencyStoreContract {

  @Override
  protected Future<IdempotencyStore> createStore() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoIdempotencyStore.TABLE)
        .map(table -> new DynamoIdempotencyStore(services.vertx(), services.aws().dynamo(), table, services.meters()));
  }
}
