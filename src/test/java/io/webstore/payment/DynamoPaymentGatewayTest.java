package io.webstore.payment;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The payment-gateway contract, on the sandbox provider over DynamoDB (the dev engine). */
class DynamoPaymentGatewayTest extends PaymentGatewayContract {

  @Override
  protected Future<PaymentGateway> createGateway() {
    Services services = ContractTables.services();
    PaymentSettings settings = new PaymentSettings("sandbox", Duration.ofSeconds(2), 3, 50, 20, 10,
        Duration.ofSeconds(10), Optional.empty(), "", "", Duration.ofMinutes(5));
    return ContractTables.provision(DynamoPaymentGateway.TABLE).map(table -> new DynamoPaymentGateway(
        services.vertx(), services.aws().dynamo(), table, services.meters(), new SandboxProvider(services.vertx()),
        new ProviderCalls(services.vertx(), services.meters(), settings), Clock.systemUTC()));
  }
}
