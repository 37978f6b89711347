package io.webstore.orders;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to the {@code orders.*} addresses for HTTP handlers and the checkout. Failures arrive as the domain
 * exceptions the verticle raised ({@code NotFound}, {@code Conflict}, {@code Validation}); no answer in time is {@code
 * Unavailable}.
 */
public final class OrdersClient {

  private final Vertx vertx;
  private final DeliveryOptions options;

  public OrdersClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** Writes a new order once; a repeat for its checkout returns it. Conflict when its id was aborted. */
  public Future<Order> place(Order order) {
    return request(OrdersVerticle.PLACE, OrderJson.internal(order)).map(OrderJson::order);
  }

  /** Burns an order id that has no order: empty when it is (now) aborted, else the order that exists. */
  public Future<Optional<Order>> abort(String orderId) {
    return request(OrdersVerticle.ABORT, new JsonObject().put("id", orderId))
        .map(reply -> reply.getBoolean("aborted")
            ? Optional.<Order>empty()
            : Optional.of(OrderJson.order(reply.getJsonObject("order"))));
  }

  /** Records that the checkout committed the order's stock. */
  public Future<Order> confirm(String orderId) {
    return request(OrdersVerticle.CONFIRM, new JsonObject().put("id", orderId)).map(OrderJson::order);
  }

  /** Cancels an order whose checkout could not commit its stock (no restock; payment and allowance given back). */
  public Future<Order> abandon(String orderId) {
    return request(OrdersVerticle.ABANDON, new JsonObject().put("id", orderId)).map(OrderJson::order);
  }

  /** The order if it is the customer's (any customer's when empty); NotFound otherwise. */
  public Future<Order> get(String orderId, Optional<String> customerId) {
    JsonObject body = new JsonObject().put("id", orderId);
    customerId.ifPresent(id -> body.put("customer_id", id));
    return request(OrdersVerticle.GET, body).map(OrderJson::order);
  }

  public Future<OrderPage> list(String customerId, int limit, Optional<String> cursor) {
    JsonObject body = new JsonObject().put("customer_id", customerId).put("limit", limit);
    cursor.ifPresent(c -> body.put("cursor", c));
    return request(OrdersVerticle.LIST, body).map(OrderJson::page);
  }

  public Future<OrderPage> adminList(Optional<String> status, int limit, Optional<String> cursor) {
    JsonObject body = new JsonObject().put("limit", limit);
    status.ifPresent(s -> body.put("status", s));
    cursor.ifPresent(c -> body.put("cursor", c));
    return request(OrdersVerticle.ADMIN_LIST, body).map(OrderJson::page);
  }

  public Future<Order> cancel(String orderId, String customerId) {
    return request(OrdersVerticle.CANCEL, new JsonObject().put("id", orderId).put("customer_id", customerId))
        .map(OrderJson::order);
  }

  public Future<Order> setStatus(String orderId, String status) {
    return request(OrdersVerticle.SET_STATUS, new JsonObject().put("id", orderId).put("status", status))
        .map(OrderJson::order);
  }

  /** Takes sale allowance for a checkout; Conflict (with {@code sale_id}, {@code limit}) past a limit. */
  public Future<Void> claimSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
    return request(OrdersVerticle.CLAIM_SALE_LIMITS, saleBody(customerId, claimId, claims)).mapEmpty();
  }

  /** Gives a checkout's sale allowance back (idempotent). */
  public Future<Void> releaseSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
    return request(OrdersVerticle.RELEASE_SALE_LIMITS, saleBody(customerId, claimId, claims)).mapEmpty();
  }

  private static JsonObject saleBody(String customerId, String claimId, List<SaleClaim> claims) {
    return new JsonObject().put("customer_id", customerId).put("claim_id", claimId)
        .put("claims", OrderJson.claimsJson(claims));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(Replies::recover);
  }
}
