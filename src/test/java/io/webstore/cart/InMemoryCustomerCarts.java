package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.platform.error.DomainException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Customers' carts in memory, changed by the cart feature's own rules ({@link Cart#claimedBy}, {@link Cart#released},
 * {@link Cart#withoutOrdered}), for in-memory adapters of other features' ports (the checkout's {@code
 * InMemorySagaPorts}) that must behave as the cart feature does without reaching into it. Every saved change moves
 * the version on; a change a rule refuses saves nothing and fails with the rule's {@code DomainException}.
 */
public final class InMemoryCustomerCarts {

  private final Map<String, Cart> carts = new HashMap<>();

  /** The customer's cart as stored, with its claim. */
  public synchronized CartContents contents(String customerId) {
    return cart(customerId).contents();
  }

  /** Adds {@code quantity} units of {@code sku} to the customer's cart, as a saved change. */
  public synchronized void add(String customerId, String sku, int quantity) {
    Cart cart = cart(customerId);
    List<CartLine> lines = new ArrayList<>(cart.lines());
    int present = cart.line(sku).map(CartLine::quantity).orElse(0);
    lines.removeIf(line -> line.sku().equals(sku));
    lines.add(new CartLine(sku, present + quantity));
    save(new Cart(cart.owner(), lines, cart.version(), cart.lastMerge(), cart.checkout(), cart.lastCheckout(),
        cart.recentAdds()));
  }

  public Future<Void> claim(String customerId, String recordId, String orderId, long version,
      Map<String, Integer> units) {
    return change(customerId, cart -> cart.claimedBy(recordId, orderId, version, units));
  }

  public Future<Void> release(String customerId, String recordId) {
    return change(customerId, cart -> cart.released(recordId));
  }

  public Future<Void> removeOrdered(String customerId, String recordId, Map<String, Integer> units) {
    return change(customerId, cart -> cart.withoutOrdered(recordId, units));
  }

  private Cart cart(String customerId) {
    String owner = CartClient.customer(customerId);
    return carts.getOrDefault(owner, Cart.empty(owner));
  }

  private void save(Cart next) {
    carts.put(next.owner(), next.savedAs(next.version() + 1));
  }

  private synchronized Future<Void> change(String customerId, UnaryOperator<Cart> rule) {
    Cart current = cart(customerId);
    try {
      Cart next = rule.apply(current);
      if (!next.equals(current)) {
        save(next);
      }
      return Future.succeededFuture();
    } catch (DomainException refused) { // the cart's rules refused: nothing saved
      return Future.failedFuture(refused);
    }
  }
}
