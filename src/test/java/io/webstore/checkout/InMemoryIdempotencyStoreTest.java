package io.webstore.checkout;

import io.vertx.core.Future;

/** The idempotency contract, in memory. */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

  @Override
  protected Future<IdempotencyStore> createStore() {
    return Future.succeededFuture(new InMemoryIdempotencyStore());
  }
}
