package io.webstore.orders;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;

/** The sale-limit contract, on DynamoDB (the dev engine). */
class DynamoSaleLimitsTest extends SaleLimitsContract {

  @Override
  protected Future<SaleLimits> createLimits() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoSaleLimits.TABLE)
        .map(table -> new DynamoSaleLimits(services.vertx(), services.aws().dynamo(), table, services.meters()));
  }
}
