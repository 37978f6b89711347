package io.webstore.flags;

import io.vertx.core.Future;

/** The flag-store contract, in memory. */
class InMemoryFlagStoreTest extends FlagStoreContract {

  @Override
  protected Future<FlagStore> createStore() {
    return Future.succeededFuture(new InMemoryFlagStore());
  }
}
