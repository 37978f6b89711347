package io.webstore.cart;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** Where carts live: one item per owner, written only conditionally on the version that was read. */
interface CartStore {

  /** The owner's cart; an empty cart of version 0 when the owner has none yet. */
  Future<Cart> find(String owner);

  /**
   * Saves {@code cart} if the stored version is still {@code cart.version()} (0: none stored yet), and answers the
   * cart with its new version. {@code expiresAt} lets the table's TTL remove carts nobody can reach any more (guests).
   * Fails with {@link io.webstore.platform.error.Conflict} when another write came first.
   */
  Future<Cart> save(Cart cart, Optional<Instant> expiresAt);
}
