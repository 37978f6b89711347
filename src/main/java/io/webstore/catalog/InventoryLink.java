package io.webstore.catalog;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The catalog's typed client of the inventory feature's addresses (its contract, nothing of its code). */
public final class InventoryLink {

  /** {@code {"skus": [...]}} → {@code {"available": {"SKU": units}}}. */
  public static final String AVAILABILITY = "inventory.availability";
  /** {@code {"sku", "on_hand"}} → the SKU's inventory. */
  public static final String SET = "inventory.set";
  /** Published {@code {"sku"}} when a SKU's availability changed on this instance. */
  public static final String CHANGED = "events.inventory.changed";

  private final Vertx vertx;
  private final DeliveryOptions options;

  public InventoryLink(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** Units one can buy now, for every SKU asked (0 for SKUs inventory does not know). */
  public Future<Map<String, Integer>> availability(Collection<? extends String> skus) {
    return vertx.eventBus().<JsonObject>request(AVAILABILITY,
            new JsonObject().put("skus", new JsonArray(List.copyOf(skus))), options)
        .recover(Replies::recover)
        .map(reply -> {
          JsonObject available = reply.body().getJsonObject("available", new JsonObject());
          Map<String, Integer> units = new HashMap<>(skus.size() * 2);
          for (String sku : skus) {
            Object value = available.getValue(sku);
            units.put(sku, value instanceof Number number ? Math.max(0, number.intValue()) : 0);
          }
          return units;
        });
  }

  /** Sets the stock on hand of a SKU in the default warehouse (admin). */
  public Future<JsonObject> set(String sku, int onHand) {
    return vertx.eventBus().<JsonObject>request(SET, new JsonObject().put("sku", sku).put("on_hand", onHand), options)
        .recover(Replies::recover)
        .map(reply -> reply.body());
  }
}
