package io.webstore.orders;

import io.vertx.core.Future;

/** The sale-limit contract, in memory. */
class InMemorySaleLimitsTest extends SaleLimitsContract {

  @Override
  protected Future<SaleLimits> createLimits() {
    return Future.succeededFuture(new InMemorySaleLimits());
  }
}
