package io.webstore.cart;

import io.vertx.core.Future;

/** The session-store contract, in memory. */
class InMemorySessionStoreTest extends SessionStoreContract {

  @Override
  protected Future<SessionStore> createStore() {
    return Future.succeededFuture(new InMemorySessionStore());
  }
}
