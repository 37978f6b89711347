package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

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

  /**
   * A change every instance must drop from its in-process caches: a product, several products (a feed batch: one
   * message for all of them, {@code key} holds their SKUs separated by spaces, which a SKU never contains), a sale,
   * or everything.
   */
  record Invalidation(Kind kind, String key, String origin) {
    /** What changed. */
    public enum Kind { PRODUCT, PRODUCTS, SALE, ALL }

    /** The change of these products: {@link Kind#PRODUCT} for one, {@link Kind#PRODUCTS} for more. */
    static Invalidation products(Collection<String> skus, String origin) {
      return skus.size() == 1
          ? new Invalidation(Kind.PRODUCT, skus.iterator().next(), origin)
          : new Invalidation(Kind.PRODUCTS, String.join(" ", skus), origin);
    }

    /** The SKUs of a {@link Kind#PRODUCTS} change. */
    List<String> skus() {
      return List.of(key.split(" "));
    }
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
