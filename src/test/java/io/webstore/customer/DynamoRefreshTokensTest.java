package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;

/** The refresh-token contract on DynamoDB (the contract copy of the table, on the shared engines). */
class DynamoRefreshTokensTest extends RefreshTokensContract {

  @Override
  protected Future<RefreshTokens> createTokens() {
    Services services = ContractTables.services();
    return ContractTables.provision(DynamoRefreshTokens.TABLE).map(table ->
        new DynamoRefreshTokens(services.vertx(), services.aws().dynamo(), table, services.meters()));
  }
}
