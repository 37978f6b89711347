package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@link StoreLocations} in memory, as {@link DynamoStoreLocations} behaves: the bulk write replaces by id. */
final class InMemoryStoreLocations implements StoreLocations {

  private final Map<String, StoreLocation> stores = new TreeMap<>();

  @Override
  public synchronized Future<List<StoreLocation>> all() {
    return Future.succeededFuture(List.copyOf(stores.values()));
  }

  @Override
  public synchronized Future<Set<String>> ids() {
    return Future.succeededFuture(new HashSet<>(stores.keySet()));
  }

  @Override
  public synchronized Future<Void> putAll(List<StoreLocation> written) {
    written.forEach(location -> stores.put(location.id(), location));
    return Future.succeededFuture();
  }
}
