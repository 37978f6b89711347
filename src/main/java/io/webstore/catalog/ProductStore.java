package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store of record for products (the {@code products} table in AWS).
 *
 * <p>Products that come from the PIM feed carry the feed's {@code sequence}: a feed write applies only when its
 * sequence is greater than the stored one, and a feed delete leaves a tombstone with its sequence, so that an older
 * upsert delivered late does not bring the product back. A tombstone is no product to {@link #find} and {@link #all}.
 * Admin writes ({@link #put}, {@link #delete}) keep whatever sequence is stored.
 */
interface ProductStore {

  /**
   * What a sequenced (feed) write did.
   *
   * @param applied the record's sequence is the stored one now: written by this call, or already by an earlier
   *     delivery of the same record; false when a greater sequence is stored (the record is stale)
   * @param stored the product as stored after the write (null for a tombstone); null when not applied
   */
  record FeedWrite(boolean applied, Product stored) {
    static final FeedWrite STALE = new FeedWrite(false, null);
  }

  /** The product, or empty when there is none. */
  Future<Optional<Product>> find(String sku);

  /** Creates or replaces the product; completes with true when it did not exist before. */
  Future<Boolean> put(Product product);

  /**
   * Deletes the product; fails with {@link io.webstore.platform.error.NotFound} when there is none. A product that
   * carries a feed sequence becomes a tombstone with that sequence.
   */
  Future<Void> delete(String sku);

  /**
   * Writes {@code product} whole, with {@code sequence}, when the stored sequence is smaller (or there is none);
   * idempotent: a second delivery of the same sequence answers applied without writing.
   */
  Future<FeedWrite> putIfNewer(Product product, long sequence);

  /** Replaces the product (if any) by a tombstone carrying {@code sequence}, on the same terms as {@link #putIfNewer}. */
  Future<FeedWrite> deleteIfNewer(String sku, long sequence);

  /** Every product (for the in-process listing snapshot; the catalog is small). */
  Future<List<Product>> all();

  /**
   * The SKUs of every product and tombstone, without the rest of the items (for demo seeding's existence check: a
   * product the feed deleted is not seeded again).
   */
  Future<Set<String>> skus();

  /**
   * Writes many products in batches, unconditionally: callers write only products they found missing, so this is
   * the bulk path for seeding, not for admin changes.
   */
  Future<Void> putAll(List<Product> products);
}
