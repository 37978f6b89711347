package io.webstore.catalog;

import io.vertx.core.Future;
import io.webstore.platform.error.NotFound;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ProductStore} in memory, as {@link DynamoProductStore} behaves: a put creates or replaces the whole product
 * and says which, a delete of an absent product is {@link NotFound}, and the bulk write replaces unconditionally;
 * feed writes apply only over a smaller stored sequence, and a deleted product with a sequence stays as a tombstone.
 */
final class InMemoryProductStore implements ProductStore {

  private final Map<String, Product> products = new TreeMap<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private final Set<String> tombstones = new HashSet<>();

  @Override
  public synchronized Future<Optional<Product>> find(String sku) {
    return Future.succeededFuture(Optional.ofNullable(products.get(sku)));
  }

  @Override
  public synchronized Future<Boolean> put(Product product) {
    tombstones.remove(product.sku());
    return Future.succeededFuture(products.put(product.sku(), product) == null);
  }

  @Override
  public synchronized Future<Void> delete(String sku) {
    if (products.remove(sku) == null) {
      return Future.failedFuture(new NotFound("product", sku));
    }
    if (sequences.containsKey(sku)) {
      tombstones.add(sku);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<FeedWrite> putIfNewer(Product product, long sequence) {
    Long stored = sequences.get(product.sku());
    if (stored != null && stored >= sequence) {
      return Future.succeededFuture(stored == sequence
          ? new FeedWrite(true, products.get(product.sku()))
          : FeedWrite.STALE);
    }
    sequences.put(product.sku(), sequence);
    tombstones.remove(product.sku());
    products.put(product.sku(), product);
    return Future.succeededFuture(new FeedWrite(true, product));
  }

  @Override
  public synchronized Future<FeedWrite> deleteIfNewer(String sku, long sequence) {
    Long stored = sequences.get(sku);
    if (stored != null && stored >= sequence) {
      return Future.succeededFuture(stored == sequence ? new FeedWrite(true, products.get(sku)) : FeedWrite.STALE);
    }
    sequences.put(sku, sequence);
    tombstones.add(sku);
    products.remove(sku);
    return Future.succeededFuture(new FeedWrite(true, null));
  }

  @Override
  public synchronized Future<List<Product>> all() {
    return Future.succeededFuture(List.copyOf(products.values()));
  }

  @Override
  public synchronized Future<Set<String>> skus() {
    Set<String> skus = new HashSet<>(products.keySet());
    skus.addAll(tombstones);
    return Future.succeededFuture(skus);
  }

  @Override
  public synchronized Future<Void> putAll(List<Product> written) {
    written.forEach(product -> { // unconditional, like BatchWriteItem: a whole new item, without sequence
      tombstones.remove(product.sku());
      sequences.remove(product.sku());
      products.put(product.sku(), product);
    });
    return Future.succeededFuture();
  }
}
