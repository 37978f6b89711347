package io.webstore.inventory;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * The process's {@link Inventory}, registered with its Vert.x instance once an inventory verticle runs in it, so that
 * {@link InventoryClient#availability} reads the live ledger on the caller's event loop instead of through {@code
 * inventory.availability} on the inventory verticle's: that read is one script call to Redis whichever loop sends it
 * (the ledger's client, gate and meters are built for concurrent use), so the answer is the same, without two
 * messages, a JSON copy each way and a wake-up of another event loop. Without the feature in this process (disabled,
 * or another store), callers use the bus.
 */
final class LocalInventory implements Shareable {

  private static final String MAP = "webstore.inventory.local";
  private static final String KEY = "inventory";

  private final Inventory inventory;

  private LocalInventory(Inventory inventory) {
    this.inventory = inventory;
  }

  /** Makes {@code inventory} the one that clients of {@code vertx} read availability from. */
  static void register(Vertx vertx, Inventory inventory) {
    map(vertx).put(KEY, new LocalInventory(inventory));
  }

  /** Forgets {@code inventory} if it is the one registered (its verticle stops). */
  static void unregister(Vertx vertx, Inventory inventory) {
    LocalMap<String, LocalInventory> map = map(vertx);
    LocalInventory current = map.get(KEY);
    if (current != null && current.inventory == inventory) {
      map.removeIfPresent(KEY, current);
    }
  }

  /** The inventory of {@code vertx}'s process, or null when no inventory verticle runs in it. */
  static Inventory of(Vertx vertx) {
    LocalInventory local = map(vertx).get(KEY);
    return local == null ? null : local.inventory;
  }

  private static LocalMap<String, LocalInventory> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
