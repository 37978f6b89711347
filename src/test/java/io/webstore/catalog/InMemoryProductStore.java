package io.webstore.catalog;

import io.vertx.core.Future;
import io.webstore.platform.error.NotFound;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ProductStore} in memory, as {@link DynamoProductStore} behaves: a put creates or replaces the whole product
 * and says which, a delete of an absent product is {@link NotFound}, and the bulk write replaces unconditionally.
 */
final class InMemoryProductStore implements ProductStore {

  private final Map<String, Product> products = new TreeMap<>();

  @Override
  public synchronized Future<Optional<Product>> find(String sku) {
    return Future.succeededFuture(Optional.ofNullable(products.get(sku)));
  }

  @Override
  public synchronized Future<Boolean> put(Product product) {
    return Future.succeededFuture(products.put(product.sku(), product) == null);
  }

  @Override
  public synchronized Future<Void> delete(String sku) {
    return products.remove(sku) == null ? Future.failedFuture(new NotFound("product", sku))
        : Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<Product>> all() {
    return Future.succeededFuture(List.copyOf(products.values()));
  }

  @Override
  public synchronized Future<Set<String>> skus() {
    return Future.succeededFuture(new HashSet<>(products.keySet()));
  }

  @Override
  public synchronized Future<Void> putAll(List<Product> written) {
    written.forEach(product -> products.put(product.sku(), product));
    return Future.succeededFuture();
  }
}
