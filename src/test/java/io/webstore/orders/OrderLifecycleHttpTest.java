package io.webstore.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.WebStore;
import io.webstore.inventory.HoldLine;
import io.webstore.inventory.InventoryClient;
import io.webstore.orders.OrdersClient.PlaceOrder;
import io.webstore.platform.money.Amount;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Orders through HTTP: the status machine, cancellation with its give-backs, privacy and listings. */
@WebstoreTest
class OrderLifecycleHttpTest {

  @Shared static Api api;
  @Shared static WebStore store;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @Test
  void anIllegalMoveIsA409WhoseProblemMembersNoExtensionOverwrites() {
    String sku = fx.product("illegal", "8.00", 5);
    Customer customer = fx.signedUpCustomer();
    String id = place(customer, sku, 1).getString("id");

    HttpResponse<Buffer> refused = setStatus(id, "delivered");

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = refused.bodyAsJsonObject();
    assertThat(problem.getValue("status")).isEqualTo(409);
    assertThat(problem.getString("type")).isEqualTo("/problems/conflict");
    assertThat(problem.getString("instance")).isEqualTo("/api/v1/admin/orders/" + id + "/status");
    assertThat(problem.getString("order_status")).isEqualTo("placed");
    assertThat(problem.getJsonArray("allowed").getList()).containsExactly("cancelled", "paid", "payment_failed");
  }

  @Test
  void anOrderWalksTheLegalPathToDeliveredAndNoIllegalStep() {
    String sku = fx.product("walk", "8.00", 5);
    Customer customer = fx.signedUpCustomer();
    JsonObject order = place(customer, sku, 1);
    String id = order.getString("id");
    assertThat(order.getString("status")).isEqualTo("placed");

    conflict(setStatus(id, "shipped"));
    conflict(setStatus(id, "delivered"));
    for (String next : List.of("paid", "fulfilling", "shipped", "delivered")) {
      HttpResponse<Buffer> moved = setStatus(id, next);
      assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
      assertThat(moved.bodyAsJsonObject().getString("status")).isEqualTo(next);
      assertThat(api.get("/api/v1/orders/" + id, customer.token()).bodyAsJsonObject().getString("status"))
          .isEqualTo(next);
    }
    for (String any : List.of("placed", "paid", "fulfilling", "shipped", "delivered", "cancelled",
        "payment_failed")) {
      conflict(setStatus(id, any));
    }
    conflict(api.call(HttpMethod.POST, "/api/v1/orders/" + id + "/cancel", customer.token(), null));
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(4);

    assertThat(outbox(id)).containsExactly("webstore.order.placed", "webstore.order.paid",
        "webstore.order.status-changed", "webstore.order.status-changed", "webstore.order.status-changed");
    HttpResponse<Buffer> unknownStatus = setStatus(id, "lost");
    assertThat(unknownStatus.statusCode()).isEqualTo(422);
    assertThat(setStatus("ord_" + "0".repeat(32), "paid").statusCode()).isEqualTo(404);
  }

  @Test
  void cancellingAPlacedOrPaidOrderGivesTheStockBackButAShippedOneCannotBeCancelled() {
    String sku = fx.product("cancel", "6.00", 10);
    Customer customer = fx.signedUpCustomer();

    JsonObject placed = place(customer, sku, 2);
    assertThat(fx.inventory(sku).getInteger("available")).isEqualTo(8);
    assertThat(fx.orderItem(placed.getString("id"))).as("the checkout does not write the order again")
        .containsKey("checkout_pending");
    HttpResponse<Buffer> cancelled = cancel(customer, placed.getString("id"));
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("available")).isEqualTo(10);
    assertThat(stock.getInteger("on_hand")).isEqualTo(10);
    assertThat(outbox(placed.getString("id"))).containsExactly("webstore.order.placed", "webstore.order.cancelled");
    assertThat(fx.orderItem(placed.getString("id"))).containsKey("outbox_pending")
        .doesNotContainKeys("checkout_pending", "compensation_pending");
    HttpResponse<Buffer> again = cancel(customer, placed.getString("id"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(fx.inventory(sku).getInteger("on_hand")).as("restocked once").isEqualTo(10);

    JsonObject paid = place(customer, sku, 3);
    assertThat(setStatus(paid.getString("id"), "paid").statusCode()).isEqualTo(200);
    assertThat(fx.inventory(sku).getInteger("available")).isEqualTo(7);
    assertThat(cancel(customer, paid.getString("id")).statusCode()).isEqualTo(200);
    assertThat(fx.inventory(sku).getInteger("available")).isEqualTo(10);

    JsonObject shipped = place(customer, sku, 1);
    for (String next : List.of("paid", "fulfilling", "shipped")) {
      assertThat(setStatus(shipped.getString("id"), next).statusCode()).isEqualTo(200);
    }
    conflict(cancel(customer, shipped.getString("id")));
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(9);
    assertThat(api.get("/api/v1/orders/" + shipped.getString("id"), customer.token()).bodyAsJsonObject()
        .getString("status")).isEqualTo("shipped");

    // the payments of the cancelled orders are voided, the shipped one's was captured when it shipped
    assertThat(fx.payments(List.of(customer.id())).stream().map(item -> item.get("status").s()).sorted().toList())
        .containsExactly("captured", "voided", "voided");
  }

  /**
   * An order whose checkout has not committed its stock yet (its request died after the order write, before the
   * commit): a cancel rolls the commit forward (the order exists, so its checkout completes) and then gives the stock
   * back, once; an order whose hold can no longer be committed cannot be cancelled, and is abandoned without restock.
   */
  @Test
  void anOrderWhoseCheckoutHasNotCommittedItsStockIsCommittedByItsFirstMove() {
    String sku = fx.product("pending", "6.00", 10);
    Customer customer = fx.signedUpCustomer();
    OrdersClient orders = new OrdersClient(store.vertx(), Duration.ofSeconds(20));
    InventoryClient inventory = new InventoryClient(store.vertx());

    PlaceOrder uncommitted = pendingOrder(customer, sku);
    Engines.await(inventory.hold(uncommitted.holdId(), List.of(new HoldLine(sku, 2))));
    Engines.await(orders.place(uncommitted));
    assertThat(fx.inventory(sku).getInteger("on_hand")).as("held, not committed").isEqualTo(10);
    HttpResponse<Buffer> cancelled = cancel(customer, uncommitted.orderId());
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    assertThat(fx.orderItem(uncommitted.orderId())).doesNotContainKey("checkout_pending");
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).as("committed, then given back").isEqualTo(10);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(cancel(customer, uncommitted.orderId()).statusCode()).isEqualTo(200);
    assertThat(fx.inventory(sku).getInteger("on_hand")).as("given back once").isEqualTo(10);

    PlaceOrder released = pendingOrder(customer, sku);
    Engines.await(inventory.hold(released.holdId(), List.of(new HoldLine(sku, 3))));
    Engines.await(orders.place(released));
    Engines.await(inventory.release(released.holdId()));
    conflict(cancel(customer, released.orderId()));
    assertThat(fx.orderItem(released.orderId())).containsKey("checkout_pending");
    Order abandoned = Engines.await(orders.abandon(released.orderId()));
    assertThat(abandoned.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(fx.inventory(sku).getInteger("on_hand")).as("nothing was taken, nothing given back").isEqualTo(10);
  }

  private static PlaceOrder pendingOrder(Customer customer, String sku) {
    String id = "ord_" + UUID.randomUUID();
    return new PlaceOrder(id, customer.id(), List.of(OrderLine.of(sku, "Pending item", 2, Amount.of("6.00", "USD"),
            Optional.empty())), new ShippingAddress("Ada Buyer", "1 Main St", Optional.empty(), "Springfield",
            Optional.of("IL"), "62701", "US"), customer.id() + "#" + UUID.randomUUID(), "chk-" + UUID.randomUUID(),
        "pay_" + UUID.randomUUID(), List.of(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  @Test
  void paymentFailedReleasesTheOrderLikeACancellation() {
    String sku = fx.product("payfail", "6.00", 3);
    Customer customer = fx.mintedCustomer();
    JsonObject order = place(customer, sku, 3);
    assertThat(fx.inventory(sku).getInteger("available")).isZero();
    HttpResponse<Buffer> failed = setStatus(order.getString("id"), "payment_failed");
    assertThat(failed.statusCode()).as(failed.bodyAsString()).isEqualTo(200);
    assertThat(fx.inventory(sku).getInteger("available")).isEqualTo(3);
    conflict(setStatus(order.getString("id"), "paid"));
  }

  @Test
  void someoneElsesOrderDoesNotExistForYou() {
    String sku = fx.product("private", "6.00", 3);
    Customer owner = fx.mintedCustomer();
    Customer other = fx.mintedCustomer();
    String id = place(owner, sku, 1).getString("id");

    HttpResponse<Buffer> peek = api.get("/api/v1/orders/" + id, other.token());
    HttpResponse<Buffer> missing = api.get("/api/v1/orders/ord_" + "f".repeat(32), other.token());
    assertThat(peek.statusCode()).isEqualTo(404);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(peek.bodyAsJsonObject().getString("detail")).doesNotContain(owner.id());
    assertThat(cancel(other, id).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/orders/" + id, owner.token()).bodyAsJsonObject().getString("status"))
        .isEqualTo("placed");
    assertThat(api.get("/api/v1/orders", other.token()).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(api.get("/api/v1/admin/orders", owner.token()).statusCode()).isEqualTo(403);
  }

  @Test
  void listingsAreNewestFirstAndPaged() {
    String sku = fx.product("list", "1.00", 10);
    Customer customer = fx.mintedCustomer();
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      placed.add(place(customer, sku, 1).getString("id"));
    }
    JsonObject first = api.get("/api/v1/orders?limit=2", customer.token()).bodyAsJsonObject();
    assertThat(first.getJsonArray("items")).hasSize(2);
    String cursor = first.getString("next_cursor");
    assertThat(cursor).isNotBlank();
    JsonObject second = api.get("/api/v1/orders?limit=2&cursor=" + cursor, customer.token()).bodyAsJsonObject();
    List<String> ids = new ArrayList<>();
    first.getJsonArray("items").forEach(o -> ids.add(((JsonObject) o).getString("id")));
    second.getJsonArray("items").forEach(o -> ids.add(((JsonObject) o).getString("id")));
    assertThat(ids).containsExactly(placed.get(2), placed.get(1), placed.get(0));

    Customer stranger = fx.mintedCustomer();
    assertThat(api.get("/api/v1/orders?cursor=" + cursor, stranger.token()).statusCode()).isEqualTo(422);

    assertThat(setStatus(placed.get(1), "paid").statusCode()).isEqualTo(200);
    JsonObject paid = api.get("/api/v1/admin/orders?status=paid&limit=100", fx.admin()).bodyAsJsonObject();
    assertThat(paid.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")))
        .contains(placed.get(1)).doesNotContain(placed.get(0), placed.get(2));
    assertThat(paid.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("status")))
        .containsOnly("paid");
    assertThat(api.get("/api/v1/admin/orders?status=lost", fx.admin()).statusCode()).isEqualTo(400);
  }

  private static JsonObject place(Customer customer, String sku, int quantity) {
    fx.addToCart(customer, sku, quantity);
    HttpResponse<Buffer> created = fx.checkout(customer, CheckoutFixtures.key(),
        CheckoutFixtures.body("tok_approve"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  /** The types of the events waiting in the order's outbox, oldest first. */
  private static List<String> outbox(String id) {
    return fx.orderItem(id).get("outbox").l().stream().map(event -> event.m().get("type").s()).toList();
  }

  private static HttpResponse<Buffer> setStatus(String id, String status) {
    return api.call(HttpMethod.POST, "/api/v1/admin/orders/" + id + "/status", fx.admin(),
        new JsonObject().put("status", status));
  }

  private static HttpResponse<Buffer> cancel(Customer customer, String id) {
    return api.call(HttpMethod.POST, "/api/v1/orders/" + id + "/cancel", customer.token(), null);
  }

  private static void conflict(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(409);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/conflict");
  }
}
