package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.events.EventSchemas;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The fraud step of {@code POST /api/v1/checkout}, on a store of its own whose runtime file holds a payment model
 * simple enough to predict each decision, and which trusts {@code X-Forwarded-For} (each test is its own client). A
 * block is 403 with nothing held or charged; a review places the order in {@code review}, where it can be neither paid
 * nor shipped (so never captured) until an admin releases it; a fraud tier that hangs or is gone gets the configured
 * policy within the configured time. Stock, orders and payment records are checked after each.
 */
@WebstoreTest
class CheckoutFraudTest {

  /** The sandbox's authorization requests per payment key. */
  private static final String SANDBOX_CALLS = "payment.sandbox.authorize_calls";
  private static final int HUNG_FRAUD_TIMEOUT_MS = 300;

  static WebStore store;
  static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start(Stores stores) throws IOException {
    Path runtimeFile = Files.createTempDirectory("checkout-fraud").resolve("runtime.json");
    writeSettings(runtimeFile);
    store = stores.start(new JsonObject()
        .put("runtime", new JsonObject().put("file", runtimeFile.toString()))
        .put("http", new JsonObject().put("trustedProxyHeader", "X-Forwarded-For"))
        // a slow Redis on the busy test machine is not what these tests are about
        .put("fraud", new JsonObject().put("redisTimeoutMs", 5_000))
        .put("checkout", new JsonObject().put("fraudTimeoutMs", 10_000)));
    api = stores.api(store);
    fx = new CheckoutFixtures(api);
  }

  /**
   * Payment: {@code z = -6 + (distinct cards of the account in the window - 1) + 7.5 * (shipping country != billing
   * country)}: cards 1 to 7 allowed, 8 and 9 reviewed (0.73, 0.88), the 10th on blocked (0.95); one card shipped
   * abroad is reviewed (0.82). The rate limits are out of the way: every 403 here is the screening's.
   */
  static void writeSettings(Path runtimeFile) throws IOException {
    Files.writeString(runtimeFile, new JsonObject()
        .put("rateLimits", new JsonObject().put("perClientPerSecond", 100_000)
            .put("checkoutsPerAccountPerMinute", 1_000_000))
        .put("fraud", new JsonObject().put("reviewScore", 700).put("rejectScore", 900)
            .put("models", new JsonObject()
                .put("payment", new JsonObject().put("bias", -6)
                    .put("weights", new JsonObject().put("distinct_cards_account", 1.0)
                        .put("country_mismatch", 7.5)))
                .put("login", new JsonObject().put("bias", -20).put("weights", new JsonObject()))))
        .put("flags", new JsonObject().put("cacheTtlMs", 5000).put("defaults", new JsonObject()))
        .encodePrettily());
  }

  @Test
  void oneAccountTryingTwentyCardsInAMinuteIsRefusedFromTheTenthCardWithNothingHeldOrCharged() {
    String sku = fx.product("fraud", "30.00", 5);
    Customer attacker = fx.mintedCustomer();
    fx.addToCart(attacker, sku, 1);
    String ip = newClient();
    List<String> keys = new ArrayList<>();
    List<JsonObject> bodies = new ArrayList<>();
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (int card = 1; card <= 20; card++) {
      keys.add(CheckoutFixtures.key());
      // stolen cards: the sandbox declines every token it does not know
      bodies.add(CheckoutFixtures.body("tok_stolen_" + UUID.randomUUID()));
      answers.add(checkout(attacker, keys.get(card - 1), bodies.get(card - 1), ip, "device-" + card));
    }

    for (int i = 0; i < 9; i++) {
      assertThat(answers.get(i).statusCode()).as("card %d: %s", i + 1, answers.get(i).bodyAsString()).isEqualTo(402);
      assertThat(fx.payment(attacker.id(), keys.get(i)).get("status").s()).isEqualTo("declined");
      assertThat(calls(attacker, keys.get(i))).as("card %d reached the provider", i + 1).isEqualTo(1);
    }
    for (int i = 9; i < 20; i++) {
      JsonObject problem = problem(answers.get(i), 403, "payment-refused");
      assertThat(problem.getString("detail")).contains("nothing was charged").contains("another payment method")
          .doesNotContain("card").doesNotContain("score").doesNotContain("fraud");
      assertThat(fx.payment(attacker.id(), keys.get(i))).as("card %d: no payment record", i + 1).isEmpty();
      assertThat(calls(attacker, keys.get(i))).as("card %d never reached the provider", i + 1).isZero();
      assertThat(fx.idempotency(attacker.id(), keys.get(i)).get("response_status").n()).isEqualTo("403");
    }
    assertReleased(sku, 5, attacker);

    HttpResponse<Buffer> replay = checkout(attacker, keys.get(19), bodies.get(19), ip, null);
    problem(replay, 403, "payment-refused");
    assertThat(replay.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(calls(attacker, keys.get(19))).isZero();

    Customer other = fx.mintedCustomer();
    fx.addToCart(other, sku, 1);
    HttpResponse<Buffer> honest = checkout(other, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"), ip,
        null);
    assertThat(honest.statusCode()).as("another account from the same address, one card: %s", honest.bodyAsString())
        .isEqualTo(201);
    assertThat(honest.bodyAsJsonObject().getString("status")).isEqualTo("placed");
  }

  @Test
  void aReviewedCheckoutIsPlacedInReviewNeverCapturedAndAnAdminReleasesItIntoItsNormalLife() {
    String sku = fx.product("review", "25.00", 5);
    Customer buyer = fx.mintedCustomer();
    fx.addToCart(buyer, sku, 2);
    String key = CheckoutFixtures.key();
    // shipped to Germany, paid with a card billed in France: the model asks for a person
    HttpResponse<Buffer> placed = checkout(buyer, key,
        CheckoutFixtures.body("tok_approve").put("billing_country", "FR"), newClient(), null);

    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    JsonObject order = placed.bodyAsJsonObject();
    String orderId = order.getString("id");
    assertThat(order.getString("status")).isEqualTo("review");
    assertThat(api.get("/api/v1/orders/" + orderId, buyer.token()).bodyAsJsonObject().getString("status"))
        .isEqualTo("review");
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).as("the stock is committed").isEqualTo(3);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(fx.payment(buyer.id(), key).get("status").s()).isEqualTo("authorized");
    CloudEvent placedEvent = outbox(orderId).get(0);
    assertThat(placedEvent.getType()).isEqualTo("webstore.order.placed");
    assertThat(new JsonObject(new String(placedEvent.getData().toBytes())).getString("status")).isEqualTo("review");

    for (String status : List.of("shipped", "paid", "fulfilling")) {
      HttpResponse<Buffer> refused = setStatus(orderId, status);
      JsonObject problem = problem(refused, 409, "conflict");
      assertThat(problem.getString("order_status")).isEqualTo("review");
    }
    assertThat(fx.payment(buyer.id(), key).get("status").s()).as("never captured while in review")
        .isEqualTo("authorized");

    HttpResponse<Buffer> released = api.call(HttpMethod.POST, "/api/v1/admin/orders/" + orderId + "/release",
        fx.admin(), null);
    assertThat(released.statusCode()).as(released.bodyAsString()).isEqualTo(200);
    assertThat(released.bodyAsJsonObject().getString("status")).isEqualTo("placed");
    List<CloudEvent> events = outbox(orderId);
    assertThat(events).hasSize(2);
    JsonObject moved = new JsonObject(new String(events.get(1).getData().toBytes()));
    assertThat(events.get(1).getType()).isEqualTo("webstore.order.status-changed");
    assertThat(moved.getString("from")).isEqualTo("review");
    assertThat(moved.getString("to")).isEqualTo("placed");
    JsonObject again = problem(api.call(HttpMethod.POST, "/api/v1/admin/orders/" + orderId + "/release",
        fx.admin(), null), 409, "conflict");
    assertThat(again.getString("order_status")).isEqualTo("placed");
    assertThat(api.call(HttpMethod.POST, "/api/v1/orders/" + orderId + "/release", buyer.token(), null)
        .statusCode()).as("no such customer route").isIn(404, 405);
    assertThat(api.call(HttpMethod.POST, "/api/v1/admin/orders/" + orderId + "/release", buyer.token(), null)
        .statusCode()).as("admins only").isEqualTo(403);

    for (String status : List.of("paid", "fulfilling", "shipped")) {
      HttpResponse<Buffer> next = setStatus(orderId, status);
      assertThat(next.statusCode()).as(status + ": " + next.bodyAsString()).isEqualTo(200);
    }
    assertThat(fx.payment(buyer.id(), key).get("status").s()).as("captured when shipped after the release")
        .isEqualTo("captured");
  }

  @Test
  void aCardTheProviderFlagsIsPlacedInReviewAndCancellingItVoidsThePaymentAndRestocks() {
    String sku = fx.product("flagged", "18.00", 5);
    Customer buyer = fx.mintedCustomer();
    fx.addToCart(buyer, sku, 2);
    String key = CheckoutFixtures.key();
    HttpResponse<Buffer> placed = checkout(buyer, key, CheckoutFixtures.body("tok_review"), newClient(), null);

    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    String orderId = placed.bodyAsJsonObject().getString("id");
    assertThat(placed.bodyAsJsonObject().getString("status")).isEqualTo("review");
    Map<String, AttributeValue> payment = fx.payment(buyer.id(), key);
    assertThat(payment.get("status").s()).isEqualTo("authorized");
    assertThat(payment.get("review").bool()).isTrue();
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(3);
    problem(setStatus(orderId, "shipped"), 409, "conflict");
    assertThat(fx.payment(buyer.id(), key).get("status").s()).isEqualTo("authorized");

    HttpResponse<Buffer> cancelled = setStatus(orderId, "cancelled");
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    assertThat(fx.payment(buyer.id(), key).get("status").s()).isEqualTo("voided");
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).as("restocked").isEqualTo(5);
    assertThat(stock.getInteger("held")).isZero();
  }

  @Test
  void aFraudTierThatHangsOrIsGoneGetsTheFailClosedPolicyInTimeWithNothingHeldOrCharged(Stores stores) {
    WebStore closed = stores.start(new JsonObject()
        .put("features", new JsonObject().put("disabled", new JsonArray().add("fraud")))
        .put("checkout", new JsonObject().put("fraudTimeoutMs", HUNG_FRAUD_TIMEOUT_MS)
            .put("onFraudUnavailable", "block")));
    Api closedApi = stores.api(closed);
    CheckoutFixtures closedFx = new CheckoutFixtures(closedApi);
    String sku = closedFx.product("closed", "10.00", 4);
    Customer buyer = closedFx.mintedCustomer();
    closedFx.addToCart(buyer, sku, 1);
    // a fraud tier that takes the request and never answers
    MessageConsumer<JsonObject> hung = closed.vertx().eventBus().consumer("fraud.score", message -> { });
    Engines.await(hung.completion());
    String key = CheckoutFixtures.key();
    long started = System.nanoTime();
    HttpResponse<Buffer> refused;
    try {
      refused = checkout(closedApi, buyer, key, CheckoutFixtures.body("tok_approve"), newClient(), null);
    } finally {
      Engines.await(hung.unregister());
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    problem(refused, 403, "payment-refused");
    assertThat(tookMs).as("bounded by checkout.fraudTimeoutMs, not the event bus's 30 s").isLessThan(10_000);
    assertThat(closedFx.payment(buyer.id(), key)).as("never charged").isEmpty();
    JsonObject stock = closedFx.inventory(sku);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(stock.getInteger("available")).isEqualTo(4);

    // no fraud tier at all: the same policy, at once
    String second = CheckoutFixtures.key();
    problem(checkout(closedApi, buyer, second, CheckoutFixtures.body("tok_approve"), newClient(), null), 403,
        "payment-refused");
    assertThat(closedFx.payment(buyer.id(), second)).isEmpty();
    assertThat(closedFx.inventory(sku).getInteger("available")).isEqualTo(4);
    assertThat(closedApi.get("/api/v1/orders", buyer.token()).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(closed.services().meters().find("webstore.checkout.screened")
        .tags("decision", "block", "by", "unavailable").counter().count()).isEqualTo(2.0);
  }

  @Test
  void withTheDefaultFailOpenPolicyAMissingFraudTierLetsTheOrderThrough(Stores stores) {
    WebStore open = stores.start(new JsonObject()
        .put("features", new JsonObject().put("disabled", new JsonArray().add("fraud"))));
    Api openApi = stores.api(open);
    CheckoutFixtures openFx = new CheckoutFixtures(openApi);
    String sku = openFx.product("open", "10.00", 4);
    Customer buyer = openFx.mintedCustomer();
    openFx.addToCart(buyer, sku, 1);
    String key = CheckoutFixtures.key();

    HttpResponse<Buffer> placed = checkout(openApi, buyer, key, CheckoutFixtures.body("tok_approve"), newClient(),
        null);

    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    assertThat(placed.bodyAsJsonObject().getString("status")).isEqualTo("placed");
    assertThat(openFx.payment(buyer.id(), key).get("status").s()).isEqualTo("authorized");
    assertThat(openFx.inventory(sku).getInteger("on_hand")).isEqualTo(3);
  }

  private static int calls(Customer customer, String key) {
    String paymentKey = CheckoutIds.of(customer.id(), key).paymentKey();
    Integer calls = store.vertx().sharedData().<String, Integer>getLocalMap(SANDBOX_CALLS).get(paymentKey);
    return calls == null ? 0 : calls;
  }

  // ---- helpers

  static String newClient() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  static HttpResponse<Buffer> checkout(Customer customer, String key, JsonObject body, String ip, String deviceId) {
    return checkout(api, customer, key, body, ip, deviceId);
  }

  static HttpResponse<Buffer> checkout(Api on, Customer customer, String key, JsonObject body, String ip,
      String deviceId) {
    var request = on.client().post(on.port(), "localhost", CheckoutFixtures.CHECKOUT)
        .bearerTokenAuthentication(customer.token())
        .putHeader("Idempotency-Key", key)
        .putHeader("X-Forwarded-For", ip);
    if (deviceId != null) {
      request.putHeader("X-Device-Id", deviceId);
    }
    return Engines.await(request.sendJsonObject(body));
  }

  static HttpResponse<Buffer> setStatus(String orderId, String status) {
    return api.call(HttpMethod.POST, "/api/v1/admin/orders/" + orderId + "/status", fx.admin(),
        new JsonObject().put("status", status));
  }

  /** The events in the order item's outbox, each checked against its schema, oldest first. */
  static List<CloudEvent> outbox(String orderId) {
    return fx.orderItem(orderId).get("outbox").l().stream()
        .map(entry -> EventSchemas.valid(entry.m().get("event").s())).toList();
  }

  /** Nothing held or committed of {@code sku}, no order of the customer, and the cart kept to pay another way. */
  static void assertReleased(String sku, int onHand, Customer customer) {
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).isEqualTo(onHand);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(stock.getInteger("available")).isEqualTo(onHand);
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(api.get("/api/v1/cart", customer.token()).bodyAsJsonObject().getJsonArray("lines")).hasSize(1);
  }

  static JsonObject problem(HttpResponse<Buffer> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).endsWith("/problems/" + slug);
    return problem;
  }
}
