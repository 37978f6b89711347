package io.webstore.payment;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;
import java.time.Clock;

/** The payment-gateway contract, on the sandbox provider over DynamoDB (the dev engine). */
class SandboxPaymentGatewayTest extends PaymentGatewayContract {

  @Override
  protected Future<PaymentGateway> createGateway() {
    Services services = ContractTables.services();
    return ContractTables.provision(SandboxPaymentGateway.TABLE).map(table -> new SandboxPaymentGateway(
        services.vertx(), services.aws().dynamo(), table, services.meters(), Clock.systemUTC()));
  }
}
