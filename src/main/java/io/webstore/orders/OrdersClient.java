package io.webstore.orders;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.platform.error.Replies;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to the {@code orders.*} addresses for HTTP handlers and the checkout. Failures arrive as the domain
 * exceptions the verticle raised ({@code NotFound}, {@code Conflict}, {@code Validation}); no answer in time is {@code
 * Unavailable}.
 */
public final class OrdersClient {

  /** Internal order JSON ({@link OrderJson#internal}) → the stored order (idempotent per checkout). */
  public static final String PLACE = "orders.place";
  /** {@code {"id"}} → {@code {"aborted": true}} or {@code {"aborted": false, "order": {...}}}. */
  public static final String ABORT = "orders.abort";
  /** {@code {"id"}} → the order, its stock now committed by the checkout. */
  /** {@code {"id"}} → the order cancelled because its checkout could not commit its stock. */
  public static final String ABANDON = "orders.abandon";
  /** {@code {"id", "customer_id"?}} → the order; NotFound also when it is another customer's. */
  public static final String GET = "orders.get";
  /** {@code {"customer_id", "limit", "cursor"?}} → {@code {"items", "next_cursor"?}}, newest first. */
  public static final String LIST = "orders.list";
  /** {@code {"status"?, "limit", "cursor"?}} → {@code {"items", "next_cursor"?}}. */
  public static final String ADMIN_LIST = "orders.adminList";
  /** {@code {"id", "customer_id"}} → the cancelled order; Conflict once shipped. */
  public static final String CANCEL = "orders.cancel";
  /** {@code {"id", "status"}} → the order in its new status; Conflict for an illegal move. */
  public static final String SET_STATUS = "orders.setStatus";
  /** {@code {"id"}} → the order released from review to placed; Conflict when it is not in review. */
  public static final String RELEASE = "orders.release";
  /** supply.order-status feed records, answered per record (see {@code platform.feeds.FeedOutcome}). */
  public static final String FEED = "orders.feed";
  /** {@code {"customer_id", "claim_id", "claims": [{"sale_id", "quantity", "limit"}]}} → {}; Conflict at the limit. */
  public static final String CLAIM_SALE_LIMITS = "orders.claimSaleLimits";
  /** Same body as {@link #CLAIM_SALE_LIMITS} → {}; gives the units back. */
  public static final String RELEASE_SALE_LIMITS = "orders.releaseSaleLimits";

  private final Vertx vertx;
  private final DeliveryOptions options;

  public OrdersClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /**
   * A checkout's command to write its order: the lines it priced, where they go, and what the checkout holds for it
   * (its idempotency record, stock hold, payment key and sale allowance). The orders feature builds the order from it;
   * the checkout never builds an {@link Order}.
   *
   * @param checkoutId the idempotency record that places it ({@code <customer id>#<Idempotency-Key>})
   * @param placedAt the order's creation time (kept at millisecond precision, as stored)
   * @param review the checkout's fraud screening holds the order for a person: it starts in {@code review}, not
   *     {@code placed}
   */
  public record PlaceOrder(String orderId, String customerId, List<OrderLine> lines, ShippingAddress address,
      String checkoutId, String holdId, String paymentKey, List<SaleClaim> saleClaims, Instant placedAt,
      boolean review) {

    public PlaceOrder {
      lines = List.copyOf(lines);
      saleClaims = List.copyOf(saleClaims);
    }

    /** An order that starts {@code placed}. */
    public PlaceOrder(String orderId, String customerId, List<OrderLine> lines, ShippingAddress address,
        String checkoutId, String holdId, String paymentKey, List<SaleClaim> saleClaims, Instant placedAt) {
      this(orderId, customerId, lines, address, checkoutId, holdId, paymentKey, saleClaims, placedAt, false);
    }

    /** The status the order starts in. */
    public OrderStatus initialStatus() {
      return review ? OrderStatus.REVIEW : OrderStatus.PLACED;
    }
  }

  /** Writes a new order once; a repeat for its checkout returns it. Conflict when its id was aborted. */
  public Future<Order> place(PlaceOrder command) {
    Order order = Order.placed(command.orderId(), command.customerId(), command.initialStatus(), command.lines(),
        command.address(), command.checkoutId(), command.holdId(), command.paymentKey(), command.saleClaims(),
        Timestamps.millis(command.placedAt()));
    return request(PLACE, OrderJson.internal(order)).map(OrderJson::order);
  }

  /** The order as the API shows it to its customer (the body of {@code GET /api/v1/orders/{id}}). */
  public static JsonObject document(Order order) {
    return OrderJson.view(order);
  }

  /** A shipping address from its API form; Validation naming the field when it is not one. */
  public static ShippingAddress shippingAddress(JsonObject json) {
    return OrderJson.address(json);
  }

  /** Burns an order id that has no order: empty when it is (now) aborted, else the order that exists. */
  public Future<Optional<Order>> abort(String orderId) {
    return request(ABORT, new JsonObject().put("id", orderId))
        .map(reply -> reply.getBoolean("aborted")
            ? Optional.<Order>empty()
            : Optional.of(OrderJson.order(reply.getJsonObject("order"))));
  }

  /** Cancels an order whose checkout could not commit its stock (no restock; payment and allowance given back). */
  public Future<Order> abandon(String orderId) {
    return request(ABANDON, new JsonObject().put("id", orderId)).map(OrderJson::order);
  }

  /** The order if it is the customer's (any customer's when empty); NotFound otherwise. */
  public Future<Order> get(String orderId, Optional<String> customerId) {
    JsonObject body = new JsonObject().put("id", orderId);
    customerId.ifPresent(id -> body.put("customer_id", id));
    return request(GET, body).map(OrderJson::order);
  }

  public Future<OrderPage> list(String customerId, int limit, Optional<String> cursor) {
    JsonObject body = new JsonObject().put("customer_id", customerId).put("limit", limit);
    cursor.ifPresent(c -> body.put("cursor", c));
    return request(LIST, body).map(OrderJson::page);
  }

  public Future<OrderPage> adminList(Optional<String> status, int limit, Optional<String> cursor) {
    JsonObject body = new JsonObject().put("limit", limit);
    status.ifPresent(s -> body.put("status", s));
    cursor.ifPresent(c -> body.put("cursor", c));
    return request(ADMIN_LIST, body).map(OrderJson::page);
  }

  public Future<Order> cancel(String orderId, String customerId) {
    return request(CANCEL, new JsonObject().put("id", orderId).put("customer_id", customerId))
        .map(OrderJson::order);
  }

  public Future<Order> setStatus(String orderId, String status) {
    return request(SET_STATUS, new JsonObject().put("id", orderId).put("status", status))
        .map(OrderJson::order);
  }

  /**
   * Applies {@code supply.order-status} records ({@code {"order_id", "status", "sequence", "tracking"?}}) in their
   * order: one outcome per record (stale when its sequence is not above the order's stored one).
   */
  public Future<List<FeedOutcome>> feed(JsonArray records) {
    return request(FEED, new JsonObject().put("records", records)).map(FeedOutcome::outcomes);
  }

  /** Releases an order held for review to {@code placed}; Conflict when it is not in review. */
  public Future<Order> release(String orderId) {
    return request(RELEASE, new JsonObject().put("id", orderId)).map(OrderJson::order);
  }

  /** Takes sale allowance for a checkout; Conflict (with {@code sale_id}, {@code limit}) past a limit. */
  public Future<Void> claimSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
    return request(CLAIM_SALE_LIMITS, saleBody(customerId, claimId, claims)).mapEmpty();
  }

  /** Gives a checkout's sale allowance back (idempotent). */
  public Future<Void> releaseSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
    return request(RELEASE_SALE_LIMITS, saleBody(customerId, claimId, claims)).mapEmpty();
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
