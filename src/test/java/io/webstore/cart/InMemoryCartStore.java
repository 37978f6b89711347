package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link CartStore} in memory, with the condition of {@link DynamoCartStore}: a save lands only on the version that
 * was read (0: no cart stored) and answers the cart at the next version; anything else is a {@link Conflict}.
 */
final class InMemoryCartStore implements CartStore {

  private final Map<String, Cart> carts = new HashMap<>();

  @Override
  public synchronized Future<Cart> find(String owner) {
    return Future.succeededFuture(carts.getOrDefault(owner, Cart.empty(owner)));
  }

  @Override
  public synchronized Future<Cart> save(Cart cart, Optional<Instant> expiresAt) {
    long stored = Optional.ofNullable(carts.get(cart.owner())).map(Cart::version).orElse(0L);
    if (stored != cart.version()) {
      return Future.failedFuture(new Conflict("the cart changed meanwhile; reload it and retry"));
    }
    Cart saved = cart.savedAs(cart.version() + 1);
    carts.put(cart.owner(), saved);
    return Future.succeededFuture(saved);
  }
}
