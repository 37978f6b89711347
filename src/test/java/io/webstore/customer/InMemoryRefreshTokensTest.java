package io.webstore.customer;

import io.vertx.core.Future;

/** The refresh-token contract in memory. */
class InMemoryRefreshTokensTest extends RefreshTokensContract {

  @Override
  protected Future<RefreshTokens> createTokens() {
    return Future.succeededFuture(new InMemoryRefreshTokens());
  }
}
