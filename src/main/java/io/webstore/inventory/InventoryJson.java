package io.webstore.inventory;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The JSON shapes of the inventory's replies, shared by the verticle and {@link InventoryClient}. */
final class InventoryJson {

  private InventoryJson() {}

  static JsonObject level(StockLevel level) {
    JsonObject warehouses = new JsonObject();
    level.warehouses().forEach(warehouses::put);
    return new JsonObject()
        .put("sku", level.sku())
        .put("warehouses", warehouses)
        .put("on_hand", level.onHand())
        .put("held", level.held())
        .put("available", level.available());
  }

  static StockLevel level(JsonObject json) {
    Map<String, Integer> warehouses = new java.util.TreeMap<>();
    json.getJsonObject("warehouses", new JsonObject()).forEach(e -> warehouses.put(e.getKey(),
        ((Number) e.getValue()).intValue()));
    return new StockLevel(json.getString("sku"), Map.copyOf(warehouses), json.getInteger("on_hand"),
        json.getInteger("held"), json.getInteger("available"));
  }
}
