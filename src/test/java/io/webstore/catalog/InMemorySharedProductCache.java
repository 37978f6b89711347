package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SharedProductCache} in memory, for tests: entries in a map (a deletion is a "gone" entry, as in Redis). One
 * process is every instance there is, so a published invalidation has no one else to reach. No expiry: tests do not
 * wait for a TTL.
 */
final class InMemorySharedProductCache implements SharedProductCache {

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  @Override
  public Future<Entry> get(String sku) {
    return Future.succeededFuture(entries.getOrDefault(sku, Entry.MISS));
  }

  @Override
  public Future<Void> fillIfAbsent(String sku, Product found) {
    entries.putIfAbsent(sku, found == null ? Entry.GONE : Entry.of(found));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> replace(String sku, Product written) {
    entries.put(sku, written == null ? Entry.GONE : Entry.of(written));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> forget(Collection<String> skus) {
    skus.forEach(entries::remove);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> publish(Invalidation invalidation) {
    return Future.succeededFuture();
  }
}
