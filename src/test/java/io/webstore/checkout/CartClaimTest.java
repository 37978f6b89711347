package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.webstore.cart.CartClient;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.checkout.CheckoutFixtures.Timed;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.LostReplies;
import io.webstore.testing.Shared;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * One cart becomes at most one order, and nothing added while a checkout runs is lost: a checkout claims the cart
 * version it priced, a second checkout of that cart with another key gets 409 {@code cart-checked-out} and is not
 * charged, and the end of a checkout removes exactly the ordered units from the cart.
 */
@WebstoreTest
class CartClaimTest {

  private static final int CONNECTIONS = 100;

  @Shared static Api api;
  static CheckoutFixtures fx;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void start(Vertx classVertx, Stores stores) {
    fx = new CheckoutFixtures(api);
    vertx = classVertx;
    client = stores.client(CONNECTIONS);
  }

  @Test
  void twoKeysOnOneCartConcurrentlyFiftyTimesMakeOneOrderAndOneChargeEachTime() {
    int carts = 50;
    String sku = fx.product("two-keys", "9.00", 2 * carts); // stock for both: only the claim may stop the second
    List<Customer> customers = IntStream.range(0, carts).mapToObj(i -> fx.mintedCustomer()).toList();
    customers.forEach(customer -> fx.addToCart(customer, sku, 1));

    // request 2i and 2i+1 are one customer's double-click with two keys; all 100 start at once
    List<Timed> results = CheckoutFixtures.timed(2 * carts, 2 * carts, i -> CheckoutFixtures.checkout(client,
        api.port(), customers.get(i / 2), CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve")));

    int checkedOut = 0;
    int emptied = 0;
    for (int c = 0; c < carts; c++) {
      Customer customer = customers.get(c);
      List<HttpResponse<Buffer>> pair = List.of(results.get(2 * c).response(), results.get(2 * c + 1).response());
      List<HttpResponse<Buffer>> created = pair.stream().filter(r -> r.statusCode() == 201).toList();
      assertThat(created).as("one order of cart %d: %s / %s", c, pair.get(0).bodyAsString(),
          pair.get(1).bodyAsString()).hasSize(1);
      String orderId = created.get(0).bodyAsJsonObject().getString("id");
      HttpResponse<Buffer> other = pair.stream().filter(r -> r.statusCode() != 201).findFirst().orElseThrow();
      JsonObject problem = other.bodyAsJsonObject();
      if (other.statusCode() == 409) {
        assertThat(problem.getString("type")).as(other.bodyAsString()).isEqualTo("/problems/cart-checked-out");
        assertThat(problem.getString("order_id")).isEqualTo(orderId);
        assertThat(other.getHeader("Content-Type")).startsWith("application/problem+json");
        checkedOut++;
      } else {
        // the second request read the cart only after the first had emptied it
        assertThat(other.statusCode()).as(other.bodyAsString()).isEqualTo(422);
        assertThat(problem.getString("detail")).contains("the cart is empty");
        emptied++;
      }
      assertThat(fx.payments(List.of(customer.id()))).as("charges of cart %d", c).hasSize(1)
          .allSatisfy(item -> assertThat(item.get("metadata").m().get("order_id").s()).isEqualTo(orderId));
      assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
      assertThat(cartLines(customer)).isEmpty();
    }
    System.out.printf("checkout.two_keys carts=%d cart_checked_out=%d empty_cart=%d%n", carts, checkedOut, emptied);
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).isEqualTo(carts);
    assertThat(stock.getInteger("held")).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {-60, -20, 0, 3, 8, 15, 25, 40, 60, 90, 130, 200})
  void anAddRacingACheckoutEndsInTheOrderOrInTheCartNeverLostNeverInBoth(int delayMs) {
    // the adds go delayMs after the checkout; a negative delay sends the checkout that much after the adds
    String first = fx.product("racing-a", "4.00", 20);
    String other = fx.product("racing-b", "6.00", 20);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, first, 1);

    Future<Void> checkoutFired = delayMs >= 0 ? Future.succeededFuture() : vertx.timer(-delayMs).mapEmpty();
    Future<HttpResponse<Buffer>> checkout = checkoutFired.compose(v -> CheckoutFixtures.checkout(client, api.port(),
        customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve")));
    Future<Void> fired = delayMs <= 0 ? Future.succeededFuture() : vertx.timer(delayMs).mapEmpty();
    Future<HttpResponse<Buffer>> sameSku = fired.compose(v -> fx.addToCart(client, customer, first, 1));
    Future<HttpResponse<Buffer>> otherSku = fired.compose(v -> fx.addToCart(client, customer, other, 1));
    Engines.await(Future.join(checkout, sameSku, otherSku));

    HttpResponse<Buffer> placed = checkout.result();
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isIn(201, 409);
    if (placed.statusCode() == 409) {
      assertThat(placed.bodyAsJsonObject().getString("type")).as(placed.bodyAsString()).isEqualTo("/problems/conflict");
    }
    JsonArray lines = cartLines(customer);
    JsonArray ordered = placed.statusCode() == 201 ? placed.bodyAsJsonObject().getJsonArray("lines") : new JsonArray();
    int firstAdded = sameSku.result().statusCode() == 200 ? 1 : 0;
    int otherAdded = otherSku.result().statusCode() == 200 ? 1 : 0;
    System.out.printf("checkout.add_race delay_ms=%d checkout=%d ordered=%d/%d in_cart=%d/%d%n", delayMs,
        placed.statusCode(), units(ordered, first), units(ordered, other), units(lines, first), units(lines, other));
    assertThat(units(ordered, first) + units(lines, first)).as("units of the first SKU: order %s, cart %s", ordered,
        lines).isEqualTo(1 + firstAdded);
    assertThat(units(ordered, other) + units(lines, other)).as("units of the other SKU: order %s, cart %s", ordered,
        lines).isEqualTo(otherAdded);
    assertThat(fx.payments(List.of(customer.id()))).hasSize(placed.statusCode() == 201 ? 1 : 0);
    int stockLeft = 20 - units(ordered, first);
    assertThat(fx.inventory(first).getInteger("on_hand")).isEqualTo(stockLeft);
    assertThat(fx.inventory(first).getInteger("held")).isZero();
  }

  @Test
  void aSecondCheckoutOfACheckedOutCartIsRefusedAndNotCharged() {
    String sku = fx.product("checked-out", "3.00", 10);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 2);
    HttpResponse<Buffer> first = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);

    fx.addToCart(customer, sku, 1); // a new cart version after the order: checking it out is a new order
    HttpResponse<Buffer> second = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(201);
    assertThat(second.bodyAsJsonObject().getJsonObject("totals").getInteger("items")).isEqualTo(1);
    assertThat(fx.payments(List.of(customer.id()))).hasSize(2);
    assertThat(cartLines(customer)).isEmpty();
  }

  @Test
  void aDeclinedCheckoutReleasesTheCartForTheNextKey() {
    String sku = fx.product("declined", "3.00", 10);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 1);
    HttpResponse<Buffer> declined = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_decline"));
    assertThat(declined.statusCode()).as(declined.bodyAsString()).isEqualTo(402);
    assertThat(cartLines(customer)).hasSize(1);

    HttpResponse<Buffer> placed = fx.checkout(customer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    assertThat(cartLines(customer)).isEmpty();
  }

  @Test
  void aCheckoutWhoseCartClaimReplyIsLostMakesExactlyOneOrder() {
    String sku = fx.product("lost-claim", "5.00", 10);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 2);
    String key = CheckoutFixtures.key();
    String recordId = CheckoutIds.of(customer.id(), key).recordId();
    try (LostReplies.Arm arm = LostReplies.arm("cart claim put", cartPut(customer, item ->
        item.containsKey("checkout") && item.get("checkout").m().get("record_id").s().equals(recordId)))) {
      HttpResponse<Buffer> placed = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve"));
      assertThat(arm.fired()).as("the fault happened").isEqualTo(1);
      assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    }
    assertExactlyOneOrder(customer, sku, 8);
  }

  @Test
  void aCheckoutWhoseCartClaimGetsNoAnswerReleasesTheClaimAndTheKeyRetriesIntoOneOrder() {
    String sku = fx.product("silent-claim", "5.00", 10);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 2);
    String key = CheckoutFixtures.key();
    String recordId = CheckoutIds.of(customer.id(), key).recordId();
    // the cart verticle claims the cart, and its answer never reaches the checkout (a slow machine past the call
    // timeout): the checkout cannot tell a claim that landed from one that did not
    EventBus bus = api.store().vertx().eventBus();
    Set<String> lostReplies = ConcurrentHashMap.newKeySet();
    AtomicInteger lost = new AtomicInteger();
    Handler<DeliveryContext<Object>> loseClaimReply = delivery -> {
      Message<Object> message = delivery.message();
      if (CartClient.CLAIM.equals(message.address()) && message.replyAddress() != null
          && message.body() instanceof JsonObject body && recordId.equals(body.getString("record_id"))) {
        lostReplies.add(message.replyAddress());
      } else if (lostReplies.remove(message.address())) {
        lost.incrementAndGet();
        return;
      }
      delivery.next();
    };
    bus.addInboundInterceptor(loseClaimReply);
    HttpResponse<Buffer> unanswered;
    try {
      unanswered = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve"));
    } finally {
      bus.removeInboundInterceptor(loseClaimReply);
    }
    assertThat(lost.get()).as("the fault happened").isEqualTo(1);
    assertThat(unanswered.statusCode()).as(unanswered.bodyAsString()).isEqualTo(503);
    assertThat(cartLines(customer)).as("the lines stay for the retry").hasSize(1);

    HttpResponse<Buffer> placed = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve"));
    assertThat(placed.statusCode()).as("the claim was released: the retry runs").isEqualTo(201);
    assertExactlyOneOrder(customer, sku, 8);
  }

  @Test
  void aCheckoutWhoseOrderedLinesRemovalReplyIsLostMakesExactlyOneOrderAndRemovesOnce() {
    String sku = fx.product("lost-removal", "5.00", 10);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 2);
    String key = CheckoutFixtures.key();
    String orderId = CheckoutIds.of(customer.id(), key).orderId();
    try (LostReplies.Arm arm = LostReplies.arm("ordered lines removal put", cartPut(customer, item ->
        !item.containsKey("checkout") && item.containsKey("last_checkout")
            && item.get("last_checkout").m().get("order_id").s().equals(orderId)))) {
      HttpResponse<Buffer> placed = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve"));
      assertThat(arm.fired()).as("the fault happened").isEqualTo(1);
      assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    }
    assertExactlyOneOrder(customer, sku, 8);
    fx.addToCart(customer, sku, 3); // the removal landed once: a new add is not eaten by a repeated removal
    assertThat(units(cartLines(customer), sku)).isEqualTo(3);
  }

  private static void assertExactlyOneOrder(Customer customer, String sku, int onHand) {
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(fx.payments(List.of(customer.id()))).hasSize(1);
    assertThat(cartLines(customer)).isEmpty();
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(onHand);
    assertThat(fx.inventory(sku).getInteger("held")).isZero();
  }

  private static Predicate<SdkRequest> cartPut(Customer customer, Predicate<Map<String, AttributeValue>> item) {
    String owner = "customer:" + customer.id();
    return request -> request instanceof PutItemRequest put && put.tableName().endsWith("carts")
        && put.item().get("owner").s().equals(owner) && item.test(put.item());
  }

  private static JsonArray cartLines(Customer customer) {
    HttpResponse<Buffer> cart = api.get("/api/v1/cart", customer.token());
    assertThat(cart.statusCode()).as(cart.bodyAsString()).isEqualTo(200);
    return cart.bodyAsJsonObject().getJsonArray("lines");
  }

  private static int units(JsonArray lines, String sku) {
    return lines.stream().map(JsonObject.class::cast).filter(line -> sku.equals(line.getString("sku")))
        .mapToInt(line -> line.getInteger("quantity")).sum();
  }
}
