package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.Collection;

/**
 * The product cache every instance shares (Redis; ElastiCache in AWS), between each instance's in-process cache and
 * the product store, and the channel on which instances tell each other what an admin changed.
 */
interface SharedProductCache {

  /** What the shared cache holds for one SKU. */
  record Entry(boolean cached, Product product) {
    static final Entry MISS = new Entry(false, null);
    static final Entry GONE = new Entry(true, null);

    static Entry of(Product product) {
      return new Entry(true, product);
    }
  }

  /** A change every instance must drop from its in-process caches: a product, a sale, or everything. */
  record Invalidation(Kind kind, String key, String origin) {
    /** What changed. */
    public enum Kind { PRODUCT, SALE, ALL }
  }

  /** The cached entry, {@link Entry#MISS} when the cache holds nothing for the SKU. */
  Future<Entry> get(String sku);

  /**
   * Caches what a read found in the store (null: no such product), unless the cache already holds something: a
   * write that happened meanwhile has put its newer value there, which a slow read must not overwrite.
   */
  Future<Void> fillIfAbsent(String sku, Product found);

  /** Replaces the cached value after a write (null: the product was deleted). */
  Future<Void> replace(String sku, Product written);

  /** Drops the cached values of these SKUs. */
  Future<Void> forget(Collection<String> skus);

  /** Tells every instance (this one included) what changed. */
  Future<Void> publish(Invalidation invalidation);
}
