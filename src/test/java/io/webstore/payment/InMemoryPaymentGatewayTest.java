package io.webstore.payment;

import io.vertx.core.Future;

/** The payment-gateway contract, in memory. */
class InMemoryPaymentGatewayTest extends PaymentGatewayContract {

  @Override
  protected Future<PaymentGateway> createGateway() {
    return Future.succeededFuture(new InMemoryPaymentGateway());
  }
}
