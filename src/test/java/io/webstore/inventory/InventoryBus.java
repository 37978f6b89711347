package io.webstore.inventory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Raw event-bus requests to the inventory addresses of a running store (the contract as other features see it). */
final class InventoryBus {

  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(30_000);

  private final Vertx vertx;

  InventoryBus(Vertx vertx) {
    this.vertx = vertx;
  }

  static String sku(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  static String holdId() {
    return "hold-" + UUID.randomUUID();
  }

  /** The reply body, or a failed future carrying the domain exception. */
  Future<JsonObject> send(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, OPTIONS).map(Message::body).recover(Replies::recover);
  }

  JsonObject call(String address, JsonObject body) {
    return Engines.await(send(address, body));
  }

  Future<JsonObject> hold(String holdId, JsonObject... lines) {
    return send("inventory.hold", new JsonObject().put("hold_id", holdId).put("lines", new JsonArray(List.of(lines))));
  }

  Future<JsonObject> holdFor(String holdId, int ttlSeconds, JsonObject... lines) {
    return send("inventory.hold", new JsonObject().put("hold_id", holdId).put("lines", new JsonArray(List.of(lines)))
        .put("ttl_seconds", ttlSeconds));
  }

  static JsonObject line(String sku, int quantity) {
    return new JsonObject().put("sku", sku).put("quantity", quantity);
  }

  Future<JsonObject> commit(String holdId) {
    return send("inventory.commit", new JsonObject().put("hold_id", holdId));
  }

  Future<JsonObject> release(String holdId) {
    return send("inventory.release", new JsonObject().put("hold_id", holdId));
  }

  JsonObject set(String sku, int onHand) {
    return call("inventory.set", new JsonObject().put("sku", sku).put("on_hand", onHand));
  }

  JsonObject get(String sku) {
    return call("inventory.get", new JsonObject().put("sku", sku));
  }

  int available(String sku) {
    return call("inventory.availability", new JsonObject().put("skus", new JsonArray().add(sku)))
        .getJsonObject("available").getInteger(sku);
  }

  /** Polls (every 20 ms, on a Vert.x timer) until the condition holds or the deadline passes; tests assert after. */
  void until(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the ledger answers 503 while it is rebuilt: keep polling
      }
      Engines.await(vertx.timer(20, TimeUnit.MILLISECONDS));
    }
  }
}
