package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The store of record for products (the {@code products} table in AWS). */
interface ProductStore {

  /** The product, or empty when there is none. */
  Future<Optional<Product>> find(String sku);

  /** Creates or replaces the product; completes with true when it did not exist before. */
  Future<Boolean> put(Product product);

  /** Deletes the product; fails with {@link io.webstore.platform.error.NotFound} when there is none. */
  Future<Void> delete(String sku);

  /** Every product (for the in-process listing snapshot; the catalog is small). */
  Future<List<Product>> all();

  /** The SKUs of every product, without the rest of the items (for demo seeding's existence check). */
  Future<Set<String>> skus();

  /**
   * Writes many products in batches, unconditionally: callers write only products they found missing, so this is
   * the bulk path for seeding, not for admin changes.
   */
  Future<Void> putAll(List<Product> products);
}
