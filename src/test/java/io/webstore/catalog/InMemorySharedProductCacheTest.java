package io.webstore.catalog;

import io.vertx.core.Future;

/** The shared-cache contract, in memory. */
class InMemorySharedProductCacheTest extends SharedProductCacheContract {

  @Override
  protected Future<SharedProductCache> createCache() {
    return Future.succeededFuture(new InMemorySharedProductCache());
  }
}
