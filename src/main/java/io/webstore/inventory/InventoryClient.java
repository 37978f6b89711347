package io.webstore.inventory;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Unavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Typed access to the inventory's event-bus addresses, for other features. Failures arrive as the domain exceptions
 * the inventory raised: {@code OutOfStock} (with {@code skus}), {@code Conflict}, {@code NotFound}, {@code Validation},
 * and {@code Unavailable} while the ledger is rebuilt or unreachable (retry later).
 */
public final class InventoryClient {

  public static final String AVAILABILITY = "inventory.availability";
  public static final String HOLD = "inventory.hold";
  public static final String COMMIT = "inventory.commit";
  public static final String RELEASE = "inventory.release";
  public static final String RESTOCK = "inventory.restock";
  public static final String SET = "inventory.set";
  /** supply.inventory feed records, answered per record (see {@code platform.feeds.FeedOutcome}). */
  public static final String FEED = "inventory.feed";
  public static final String GET = "inventory.get";
  /** Published (local bus) with {@code {"sku"}} whenever a SKU's availability changes. */
  public static final String CHANGED = "events.inventory.changed";

  private final Vertx vertx;
  private final DeliveryOptions options;

  public InventoryClient(Vertx vertx) {
    this(vertx, Duration.ofSeconds(10));
  }

  /** A client whose requests fail with {@code Unavailable} when unanswered after {@code timeout}. */
  public InventoryClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /**
   * Units available to hold per SKU (unknown SKUs: 0); answered from the live ledger only. Where an inventory verticle
   * runs in this process ({@link Inventory#IN_PROCESS}), read on the caller's event loop, without the bus (the same checks
   * of the SKUs, answers and failures, within the same time limit).
   */
  public Future<Map<String, Integer>> availability(List<String> skus) {
    Inventory local = Inventory.IN_PROCESS.of(vertx);
    if (local != null) {
      Context caller = vertx.getOrCreateContext();
      Future<Map<String, Integer>> read;
      try {
        read = local.availability(InventoryRequests.skus(skus));
      } catch (RuntimeException invalid) { // a SKU the bus would refuse: refused alike
        return Future.failedFuture(invalid);
      }
      // resumed on the caller's context, as a reply would be: the ledger's gate may start a queued call, and so
      // complete it, on whichever event loop freed a permit
      return Future.fromCompletionStage(read.toCompletionStage(), caller)
          .timeout(options.getSendTimeout(), TimeUnit.MILLISECONDS)
          .recover(err -> Future.failedFuture(err instanceof TimeoutException
              ? new Unavailable("a service did not answer in time; retry shortly")
              : err));
    }
    return request(AVAILABILITY, new JsonObject().put("skus", new JsonArray(List.copyOf(skus)))).map(reply -> {
      Map<String, Integer> available = new LinkedHashMap<>();
      reply.getJsonObject("available").forEach(e -> available.put(e.getKey(), ((Number) e.getValue()).intValue()));
      return available;
    });
  }

  /** Holds every line or none, for the default TTL; idempotent per hold id. */
  public Future<Hold> hold(String holdId, List<HoldLine> lines) {
    return hold(holdId, lines, null);
  }

  /** Holds every line or none for {@code ttl} (null: the configured default); idempotent per hold id. */
  public Future<Hold> hold(String holdId, List<HoldLine> lines, Duration ttl) {
    JsonArray json = new JsonArray();
    lines.forEach(line -> json.add(new JsonObject().put("sku", line.sku()).put("quantity", line.quantity())));
    JsonObject body = new JsonObject().put("hold_id", holdId).put("lines", json);
    if (ttl != null) {
      body.put("ttl_seconds", ttl.toSeconds());
    }
    return request(HOLD, body).map(reply ->
        new Hold(reply.getString("hold_id"), Instant.parse(reply.getString("expires_at"))));
  }

  /** Commits a hold's units durably; idempotent. Fails {@code Conflict} for a released or expired hold. */
  public Future<Void> commit(String holdId) {
    return request(COMMIT, new JsonObject().put("hold_id", holdId)).mapEmpty();
  }

  /** Returns a hold's units; true when this call returned them. A committed or unknown hold is left alone. */
  public Future<Boolean> release(String holdId) {
    return request(RELEASE, new JsonObject().put("hold_id", holdId)).map(reply -> reply.getBoolean("returned"));
  }

  /** Adds units back (order cancellation) once per {@code operationId}; true when this call applied them. */
  public Future<Boolean> restock(String sku, int quantity, String reason, String operationId) {
    return request(RESTOCK, new JsonObject().put("sku", sku).put("quantity", quantity).put("reason", reason)
        .put("operation_id", operationId)).map(reply -> reply.getBoolean("applied"));
  }

  /** Sets a SKU's sellable units in its default warehouse (zero elsewhere). */
  public Future<StockLevel> set(String sku, int onHand) {
    return request(SET, new JsonObject().put("sku", sku).put("on_hand", onHand)).map(InventoryJson::level);
  }

  /**
   * Sets a SKU's sellable units in its default warehouse (zero elsewhere), ordered against the supply feed by
   * {@code sequence}: each warehouse is written only where its stored sequence is lower; fails {@code Conflict} when
   * none was (a stale write: nothing changed).
   */
  public Future<StockLevel> set(String sku, int onHand, long sequence) {
    return request(SET, new JsonObject().put("sku", sku).put("on_hand", onHand).put("sequence", sequence))
        .map(InventoryJson::level);
  }

  public Future<StockLevel> get(String sku) {
    return request(GET, new JsonObject().put("sku", sku)).map(InventoryJson::level);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(Message::body)
        .recover(Replies::recover);
  }
}
