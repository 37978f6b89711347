package io.webstore.platform.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.checkout.KnownCheckoutIds;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.LostReplies;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Every conditional write of the code base, with its first reply lost after the engine applied it: the SDK retries,
 * and the outcome must be the same as without the fault. Each case asserts that its fault really happened.
 *
 * <p>The writes, by table: customers (profile put, email claim put, consents update); carts (first put, versioned
 * put); sessions (put); flags (create, versioned put); products (create, replace, tag-for-delete, delete); sales
 * (put if absent, seen through the demo seeder's path only, so not here); idempotency (claim, finish);
 * sale_counters (claim, release); inventory_holds (create, mark committing, mark committed); inventory buckets (take
 * units, add units); payments (authorize, void); orders (place, confirm, transition, compensated). Not driven here,
 * and why they are safe: the idempotency advance (no path calls it; the store contract covers it), the idempotency
 * take-over and the order abort (recovery only; both judged by write id on
 * the same kit path as the claim), hold refresh/release/delete-if-open and the void's fence (a failed condition is
 * success by their contract), the sale-limit fence (judged by the released set), customer credentials (start-up
 * only; {@code attribute_exists} holds again on a retry).
 */
@WebstoreTest
class LostReplyTest {

  @Shared private static Api api;
  private static CheckoutFixtures fixtures;

  @BeforeAll
  static void start() {
    fixtures = new CheckoutFixtures(api);
  }

  @Test
  void signUpWhoseEmailClaimReplyIsLostGivesAWorkingAccount() {
    String email = "lost-" + UUID.randomUUID() + "@example.com";
    try (LostReplies.Arm arm = LostReplies.arm("customers claim put", request ->
        request instanceof PutItemRequest put && put.tableName().endsWith("customers")
            && put.item().get("pk").s().equals("email#" + email))) {
      HttpResponse<Buffer> signUp = api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
          new JsonObject().put("email", email).put("password", "Lost-reply-pass-1"));
      assertThat(arm.fired()).as("the fault happened").isEqualTo(1);
      assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);
    }
    HttpResponse<Buffer> login = api.call(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", "Lost-reply-pass-1"));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
  }

  @Test
  void cartAddsWhoseRepliesAreLostAddOnce() {
    String sku = fixtures.product("lost-cart", "5.00", 50);
    Customer buyer = fixtures.mintedCustomer();
    String owner = "customer:" + buyer.id();
    try (LostReplies.Arm first = LostReplies.arm("first cart put", cartPut(owner, 1))) {
      fixtures.addToCart(buyer, sku, 2);
      assertThat(first.fired()).isEqualTo(1);
    }
    try (LostReplies.Arm next = LostReplies.arm("versioned cart put", cartPut(owner, 2))) {
      fixtures.addToCart(buyer, sku, 3);
      assertThat(next.fired()).isEqualTo(1);
    }
    HttpResponse<Buffer> cart = api.get("/api/v1/cart", buyer.token());
    assertThat(cart.bodyAsJsonObject().getJsonArray("lines").getJsonObject(0).getInteger("quantity"))
        .as(cart.bodyAsString()).isEqualTo(5);
  }

  @Test
  void guestSessionWhosePutReplyIsLostIsKept() {
    String sku = fixtures.product("lost-session", "5.00", 50);
    List<String> sids = new ArrayList<>();
    try (LostReplies.Arm arm = LostReplies.arm("session put", request ->
        request instanceof PutItemRequest put && put.tableName().endsWith("sessions") && sids.isEmpty()
            && sids.add(put.item().get("sid").s()))) {
      HttpResponse<Buffer> added = api.call(HttpMethod.POST, "/api/v1/cart/items", null,
          new JsonObject().put("sku", sku).put("quantity", 1));
      assertThat(arm.fired()).isEqualTo(1);
      assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(200);
      String sid = added.getHeader("X-Session-Id");
      assertThat(sid).isEqualTo(sids.get(0));
      HttpResponse<Buffer> cart = Engines.await(api.request(HttpMethod.GET, "/api/v1/cart", null)
          .putHeader("X-Session-Id", sid).send());
      assertThat(cart.bodyAsJsonObject().getJsonObject("totals").getInteger("items")).as(cart.bodyAsString()).isEqualTo(1);
    }
  }

  @Test
  void consentChangeWhoseReplyIsLostIsApplied() {
    Customer buyer = fixtures.signedUpCustomer();
    try (LostReplies.Arm arm = LostReplies.arm("consents update", request ->
        request instanceof UpdateItemRequest update && update.tableName().endsWith("customers")
            && update.key().get("pk").s().equals("customer#" + buyer.id()))) {
      HttpResponse<Buffer> patched = api.call(HttpMethod.PATCH, "/api/v1/customers/me", buyer.token(),
          new JsonObject().put("consents", new JsonObject().put("marketing_email", true)));
      assertThat(arm.fired()).isEqualTo(1);
      assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    }
    HttpResponse<Buffer> me = api.get("/api/v1/customers/me", buyer.token());
    assertThat(me.bodyAsJsonObject().getJsonObject("consents").getBoolean("marketing_email")).isTrue();
  }

  @Test
  void flagWritesWhoseRepliesAreLostAreNotConflicts() {
    String name = "lost-" + UUID.randomUUID().toString().substring(0, 8);
    String path = "/api/v1/admin/flags/" + name;
    JsonObject rule = new JsonObject().put("enabled", true).put("percentage", 50);
    try (LostReplies.Arm arm = LostReplies.arm("flag create", flagPut(name, 1))) {
      HttpResponse<Buffer> created = api.call(HttpMethod.PUT, path, fixtures.admin(), rule);
      assertThat(arm.fired()).isEqualTo(1);
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    }
    try (LostReplies.Arm arm = LostReplies.arm("flag versioned put", flagPut(name, 2))) {
      HttpResponse<Buffer> changed = Engines.await(api.request(HttpMethod.PUT, path, fixtures.admin())
          .putHeader("If-Match", "\"1\"").sendJsonObject(rule.copy().put("percentage", 70)));
      assertThat(arm.fired()).isEqualTo(1);
      assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
    }
  }

  @Test
  void productCreateAndDeleteWhoseRepliesAreLostAnswerAsWithoutTheFault() {
    String sku = CheckoutFixtures.uniqueSku("lost-product");
    JsonObject product = new JsonObject().put("name", "Lost reply").put("description", "x")
        .put("price", new JsonObject().put("amount", "3.00").put("currency", "USD")).put("category", "lost");
    try (LostReplies.Arm arm = LostReplies.arm("product create", request ->
        request instanceof PutItemRequest put && put.tableName().endsWith("products")
            && put.item().get("sku").s().equals(sku))) {
      HttpResponse<Buffer> created = api.call(HttpMethod.PUT, "/api/v1/admin/products/" + sku, fixtures.admin(),
          product);
      assertThat(arm.fired()).isEqualTo(1);
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    }
    try (LostReplies.Arm arm = LostReplies.arm("product delete", request ->
        request instanceof DeleteItemRequest delete && delete.tableName().endsWith("products")
            && delete.key().get("sku").s().equals(sku))) {
      HttpResponse<Buffer> deleted = api.call(HttpMethod.DELETE, "/api/v1/admin/products/" + sku, fixtures.admin(),
          null);
      assertThat(arm.fired()).isEqualTo(1);
      assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
    }
    assertThat(api.get("/api/v1/products/" + sku, null).statusCode()).isEqualTo(404);
  }

  /** A product of 10 units on sale (3 per customer) and a buyer with 2 of them in the cart, about to check out. */
  private record Scenario(String sku, String saleId, Customer buyer, String key, KnownCheckoutIds ids) {
    static Scenario cartOfTwoOnSale(String prefix) {
      String sku = fixtures.product(prefix, "20.00", 10);
      String saleId = fixtures.sale(sku, "15.00", 3);
      Customer buyer = fixtures.mintedCustomer();
      fixtures.addToCart(buyer, sku, 2);
      String key = CheckoutFixtures.key();
      return new Scenario(sku, saleId, buyer, key, KnownCheckoutIds.of(buyer.id(), key));
    }

    LostReplies.Arm arm(CheckoutWrite write) {
      return LostReplies.arm(write.name(), request -> write.matcher().matches(request, ids, buyer.id(), sku, saleId));
    }
  }

  /** A write of the checkout path, chosen by the ids of one checkout. */
  private record CheckoutWrite(String name, CheckoutMatcher matcher) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  private interface CheckoutMatcher {
    boolean matches(SdkRequest request, KnownCheckoutIds ids, String customerId, String sku, String saleId);
  }

  static Stream<CheckoutWrite> checkoutWrites() {
    return Stream.of(
        new CheckoutWrite("idempotency claim", (r, ids, c, sku, sale) -> r instanceof PutItemRequest put
            && put.tableName().endsWith("idempotency") && put.item().get("pk").s().equals(ids.recordId())),
        new CheckoutWrite("idempotency finish", (r, ids, c, sku, sale) -> update(r, "idempotency", "pk",
            ids.recordId(), "response_status")),
        new CheckoutWrite("sale limit claim", (r, ids, c, sku, sale) -> update(r, "sale_counters", "pk",
            sale + "#" + c, "claims :ids")),
        new CheckoutWrite("hold record create", (r, ids, c, sku, sale) -> r instanceof PutItemRequest put
            && put.tableName().endsWith("inventory_holds") && put.item().get("hold_id").s().equals(ids.holdId())),
        new CheckoutWrite("hold mark committing", (r, ids, c, sku, sale) -> update(r, "inventory_holds", "hold_id",
            ids.holdId(), ":committing")),
        new CheckoutWrite("hold mark committed", (r, ids, c, sku, sale) -> update(r, "inventory_holds", "hold_id",
            ids.holdId(), ":committed")),
        new CheckoutWrite("stock take units", (r, ids, c, sku, sale) -> r instanceof UpdateItemRequest update
            && update.tableName().endsWith("inventory") && update.key().get("pk").s().startsWith("bucket#" + sku)
            && update.updateExpression().contains("#applied")),
        new CheckoutWrite("payment authorize", (r, ids, c, sku, sale) -> r instanceof PutItemRequest put
            && put.tableName().endsWith("payments") && put.item().get("pk").s().equals(ids.paymentKey())),
        new CheckoutWrite("order place", (r, ids, c, sku, sale) -> r instanceof PutItemRequest put
            && put.tableName().endsWith("orders") && put.item().get("pk").s().equals(ids.orderId())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkoutWrites")
  void checkoutWithALostReplyPlacesOneOrderAndCommitsOnce(CheckoutWrite write) {
    Scenario scenario = Scenario.cartOfTwoOnSale("lost-checkout");
    String sku = scenario.sku();
    String saleId = scenario.saleId();
    Customer buyer = scenario.buyer();
    String key = scenario.key();
    KnownCheckoutIds ids = scenario.ids();
    HttpResponse<Buffer> placed;
    try (LostReplies.Arm arm = scenario.arm(write)) {
      placed = fixtures.checkout(buyer, key, CheckoutFixtures.body("tok_approve"));
      assertThat(arm.fired()).as("the fault happened").isEqualTo(1);
    }
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    assertThat(placed.bodyAsJsonObject().getString("id")).isEqualTo(ids.orderId());
    JsonObject stock = fixtures.inventory(sku);
    assertThat(stock.getInteger("on_hand")).as(stock.encode()).isEqualTo(8);
    assertThat(stock.getInteger("held")).as(stock.encode()).isZero();
    assertThat(fixtures.payments(List.of(buyer.id()))).hasSize(1)
        .allSatisfy(payment -> assertThat(payment.get("status").s()).isEqualTo("authorized"));
    Map<String, AttributeValue> counter = fixtures.saleCounter(saleId, buyer.id());
    assertThat(counter.get("units").n()).isEqualTo("2");
    HttpResponse<Buffer> again = fixtures.checkout(buyer, key, CheckoutFixtures.body("tok_approve"));
    assertThat(again.statusCode()).isEqualTo(201);
  }

  static Stream<CheckoutWrite> cancelWrites() {
    return Stream.of(
        new CheckoutWrite("order transition", (r, ids, c, sku, sale) -> update(r, "orders", "pk", ids.orderId(),
            "#status = :to")),
        new CheckoutWrite("restock add units", (r, ids, c, sku, sale) -> r instanceof UpdateItemRequest update
            && update.tableName().endsWith("inventory") && update.key().get("pk").s().startsWith("bucket#" + sku)
            && update.updateExpression().contains("#ops")),
        new CheckoutWrite("payment void", (r, ids, c, sku, sale) -> update(r, "payments", "pk", ids.paymentKey(),
            ":voided")),
        new CheckoutWrite("sale limit release", (r, ids, c, sku, sale) -> update(r, "sale_counters", "pk",
            sale + "#" + c, "released")),
        new CheckoutWrite("order compensated", (r, ids, c, sku, sale) -> update(r, "orders", "pk", ids.orderId(),
            "REMOVE compensation_pending")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cancelWrites")
  void cancelWithALostReplyCancelsAndGivesBackOnce(CheckoutWrite write) {
    Scenario scenario = Scenario.cartOfTwoOnSale("lost-cancel");
    String sku = scenario.sku();
    String saleId = scenario.saleId();
    Customer buyer = scenario.buyer();
    KnownCheckoutIds ids = scenario.ids();
    HttpResponse<Buffer> placed = fixtures.checkout(buyer, scenario.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    try (LostReplies.Arm arm = scenario.arm(write)) {
      HttpResponse<Buffer> cancelled = api.call(HttpMethod.POST, "/api/v1/orders/" + ids.orderId() + "/cancel",
          buyer.token(), null);
      assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
      Deadline.await("compensation of " + ids.orderId(), Duration.ofSeconds(30),
          () -> !fixtures.orderItem(ids.orderId()).containsKey("compensation_pending"));
      assertThat(arm.fired()).as("the fault happened").isEqualTo(1);
    }
    assertThat(api.get("/api/v1/orders/" + ids.orderId(), buyer.token()).bodyAsJsonObject().getString("status"))
        .isEqualTo("cancelled");
    JsonObject stock = fixtures.inventory(sku);
    assertThat(stock.getInteger("on_hand")).as(stock.encode()).isEqualTo(10);
    assertThat(fixtures.payments(List.of(buyer.id()))).hasSize(1)
        .allSatisfy(payment -> assertThat(payment.get("status").s()).isEqualTo("voided"));
    assertThat(fixtures.saleCounter(saleId, buyer.id()).get("units").n()).isEqualTo("0");
  }

  private static boolean update(SdkRequest request, String table, String keyName, String key, String expression) {
    return request instanceof UpdateItemRequest update && update.tableName().endsWith("-" + table)
        && update.key().containsKey(keyName) && update.key().get(keyName).s().equals(key)
        && update.updateExpression().contains(expression);
  }

  private static Predicate<SdkRequest> flagPut(String name, long version) {
    return request -> request instanceof PutItemRequest put && put.tableName().endsWith("flags")
        && put.item().get("name").s().equals(name) && put.item().get("version").n().equals(Long.toString(version));
  }

  private static Predicate<SdkRequest> cartPut(String owner, long version) {
    return request -> request instanceof PutItemRequest put && put.tableName().endsWith("carts")
        && put.item().get("owner").s().equals(owner) && put.item().get("version").n().equals(Long.toString(version));
  }
}
