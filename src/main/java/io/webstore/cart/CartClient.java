package io.webstore.cart;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to the cart addresses for HTTP handlers and other features (checkout, login). Owners are {@code
 * customer:<id>} ({@link Owners#customer}) or {@code session:<sid>} ({@link Owners#session}). Every cart comes back
 * priced by the catalog now. Failures arrive as the domain exceptions the verticle raised: {@code NotFound} (unknown
 * SKU, no such line), {@code OutOfStock}, {@code Validation} (limits, with the {@code limit} in the error), {@code
 * Conflict} (lost too many races), {@code Unavailable}.
 */
public final class CartClient {

  private final Vertx vertx;
  private final DeliveryOptions options;

  public CartClient(Vertx vertx) {
    this(vertx, Duration.ofSeconds(10));
  }

  public CartClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  public Future<PricedCart> get(String owner) {
    return request(CartVerticle.GET, new JsonObject().put("owner", owner)).map(CartJson::fromJson);
  }

  /** Adds units to the SKU's line (a new line when there is none). */
  public Future<PricedCart> add(String owner, String sku, int quantity) {
    return request(CartVerticle.ADD, new JsonObject().put("owner", owner).put("sku", sku).put("quantity", quantity))
        .map(CartJson::fromJson);
  }

  /** Sets the units of a line already in the cart. */
  public Future<PricedCart> update(String owner, String sku, int quantity) {
    return request(CartVerticle.UPDATE,
        new JsonObject().put("owner", owner).put("sku", sku).put("quantity", quantity))
        .map(CartJson::fromJson);
  }

  /** Removes the SKU's line; the cart as it is when there is none. */
  public Future<PricedCart> remove(String owner, String sku) {
    return request(CartVerticle.REMOVE, new JsonObject().put("owner", owner).put("sku", sku))
        .map(CartJson::fromJson);
  }

  public Future<PricedCart> clear(String owner) {
    return request(CartVerticle.CLEAR, new JsonObject().put("owner", owner)).map(CartJson::fromJson);
  }

  /**
   * Moves a guest cart ({@code session:<sid>}) into a customer's ({@code customer:<id>}), capped by the limits, and
   * empties the guest cart; the customer's cart after the merge. Idempotent; an unknown or expired session merges
   * nothing.
   */
  public Future<PricedCart> merge(String fromSession, String toCustomer) {
    return request(CartVerticle.MERGE, new JsonObject().put("from", fromSession).put("to", toCustomer))
        .map(CartJson::fromJson);
  }

  /**
   * Claims the owner's cart for the checkout of {@code recordId} (placing {@code orderId}), which priced it at {@code
   * pricedVersion} and orders {@code units} (units per SKU). Fails {@code CartCheckedOut} when another checkout took
   * the cart, {@code Conflict} when the cart no longer holds the priced units. Idempotent.
   */
  public Future<Void> claim(String owner, String recordId, String orderId, long pricedVersion,
      Map<String, Integer> units) {
    return request(CartVerticle.CLAIM, new JsonObject().put("owner", owner).put("record_id", recordId)
        .put("order_id", orderId).put("version", pricedVersion).put("lines", lines(units))).mapEmpty();
  }

  /** Drops the claim of {@code recordId} (its checkout rolled back), leaving the lines; nothing when it has none. */
  public Future<Void> release(String owner, String recordId) {
    return request(CartVerticle.RELEASE, new JsonObject().put("owner", owner).put("record_id", recordId))
        .mapEmpty();
  }

  /**
   * Ends the claim of {@code recordId} (its order stands): removes exactly the ordered {@code units} and keeps what
   * was added meanwhile. Nothing when the claim is gone (done already). Idempotent.
   */
  public Future<Void> removeOrdered(String owner, String recordId, Map<String, Integer> units) {
    return request(CartVerticle.REMOVE_ORDERED, new JsonObject().put("owner", owner).put("record_id", recordId)
        .put("lines", lines(units))).mapEmpty();
  }

  private static JsonArray lines(Map<String, Integer> units) {
    JsonArray lines = new JsonArray();
    units.forEach((sku, quantity) -> lines.add(new JsonObject().put("sku", sku).put("quantity", quantity)));
    return lines;
  }

  /** The guest session named by {@code sid} if it is known and unexpired, else a new one. */
  public Future<GuestSession> session(Optional<String> sid) {
    JsonObject body = new JsonObject();
    sid.ifPresent(id -> body.put("sid", id));
    return request(CartVerticle.SESSION, body).map(CartJson::guestSession);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(Replies::recover);
  }
}
