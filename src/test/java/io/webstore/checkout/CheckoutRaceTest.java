package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.checkout.CheckoutFixtures.Timed;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Flash-sale races through HTTP: many buyers, each with their own customer and cart, check out at once against too
 * little stock. Buyers get tokens from the dev issuer: 1,000 real Argon2id logins would dominate the suite's time.
 */
@WebstoreTest
class CheckoutRaceTest {

  private static final int CONNECTIONS = 100;
  /** Times a buyer sends a checkout answered 503 again (with the same key) before its answer counts. */
  private static final int MAX_RESENDS = 3;

  @Shared static Api api;
  static CheckoutFixtures fx;
  static Vertx vertx;
  static Engines engines;
  static WebClient client;

  @BeforeAll
  static void start(Vertx classVertx, Stores stores, Engines running) {
    fx = new CheckoutFixtures(api);
    vertx = classVertx;
    engines = running;
    client = stores.client(CONNECTIONS);
  }

  @Test
  void thousandBuyersOneHundredUnitsExactlyOneHundredOrdersAndCharges(Stores stores) {
    int buyers = 1_000;
    int units = 100;
    String sku = fx.product("race", "25.00", units);
    List<Customer> customers = fx.signedUpCustomers(buyers, CONNECTIONS); // each buyer its own login
    fill(customers, List.of(sku));
    List<String> keys = IntStream.range(0, buyers).mapToObj(i -> CheckoutFixtures.key()).toList();

    // every checkout in flight at once: one connection per buyer, all opened before any answer comes back
    WebClient everyone = stores.client(buyers);
    long started = System.nanoTime();
    AtomicInteger resent = new AtomicInteger();
    List<Timed> results = CheckoutFixtures.timed(buyers, buyers, i -> checkout(everyone, customers.get(i),
        keys.get(i), resent, MAX_RESENDS));
    long wallMs = (System.nanoTime() - started) / 1_000_000;

    List<HttpResponse<Buffer>> created = new ArrayList<>();
    int outOfStock = 0;
    for (Timed result : results) {
      HttpResponse<Buffer> response = result.response();
      if (response.statusCode() == 201) {
        created.add(response);
      } else {
        assertOutOfStock(response, sku);
        outOfStock++;
      }
    }
    System.out.printf("checkout.race buyers=%d units=%d wall_ms=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f "
            + "out_of_stock=%d resent_after_503=%d%n", buyers, units, wallMs,
        CheckoutFixtures.percentileMillis(results, 0.50), CheckoutFixtures.percentileMillis(results, 0.99),
        CheckoutFixtures.percentileMillis(results, 1.0), outOfStock, resent.get());

    List<Timed> placed = results.stream().filter(r -> r.response().statusCode() == 201).toList();
    List<Timed> turnedAway = results.stream().filter(r -> r.response().statusCode() != 201).toList();
    System.out.printf("checkout.race.by_outcome placed_p50_ms=%.1f placed_p99_ms=%.1f rejected_p50_ms=%.1f "
            + "rejected_p99_ms=%.1f%n", CheckoutFixtures.percentileMillis(placed, 0.50),
        CheckoutFixtures.percentileMillis(placed, 0.99), CheckoutFixtures.percentileMillis(turnedAway, 0.50),
        CheckoutFixtures.percentileMillis(turnedAway, 0.99));

    assertThat(created).hasSize(units);
    assertThat(outOfStock).as("every other buyer gets 409").isEqualTo(buyers - units);
    Set<String> orderIds = new HashSet<>();
    for (HttpResponse<Buffer> response : created) {
      JsonObject order = response.bodyAsJsonObject();
      assertThat(response.getHeader("Location")).isEqualTo("/api/v1/orders/" + order.getString("id"));
      assertThat(order.getString("status")).isEqualTo("placed");
      assertThat(order.getJsonArray("lines")).hasSize(1);
      assertThat(order.getJsonObject("totals").getJsonObject("total").getString("amount")).isEqualTo("25.00");
      orderIds.add(order.getString("id"));
    }
    assertThat(orderIds).hasSize(units);

    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).as("durable on hand").isZero();
    assertThat(stock.getInteger("held")).as("units still held").isZero();
    assertThat(stock.getInteger("available")).isZero();

    List<Map<String, AttributeValue>> payments = fx.payments(customers.stream().map(Customer::id).toList());
    assertThat(payments).as("payment items of the race's customers").hasSize(units);
    assertThat(payments).allSatisfy(item -> assertThat(item.get("status").s()).isEqualTo("authorized"));
    assertThat(payments.stream().map(item -> item.get("metadata").m().get("order_id").s()).toList())
        .containsExactlyInAnyOrderElementsOf(orderIds);

    // what a buyer sees afterwards: nothing left to buy, on the product page, in the live counter, in the cart
    HttpResponse<Buffer> product = api.get("/api/v1/products/" + sku, null);
    assertThat(product.statusCode()).as(product.bodyAsString()).isEqualTo(200);
    assertThat(product.bodyAsJsonObject().getInteger("available")).as("product page available").isZero();
    assertThat(liveCounter(sku)).as("the live Redis counter").isEqualTo("0");
    Customer late = fx.mintedCustomer();
    HttpResponse<Buffer> lateAdd = Engines.await(fx.addToCart(client, late, sku, 1));
    assertThat(lateAdd.statusCode()).as(lateAdd.bodyAsString()).isEqualTo(409);
    assertThat(lateAdd.bodyAsJsonObject().getString("type")).isEqualTo("/problems/out-of-stock");

    // and in the store of record: exactly the hundred orders, no hold open, no checkout unsettled
    List<Map<String, AttributeValue>> orders = fx.ordersOf(customers.stream().map(Customer::id).toList());
    assertThat(orders.stream().map(item -> item.get("pk").s()).toList()).as("orders of the race's customers")
        .containsExactlyInAnyOrderElementsOf(orderIds);
    List<CheckoutIds> ids = IntStream.range(0, buyers)
        .mapToObj(i -> CheckoutIds.of(customers.get(i).id(), keys.get(i))).toList();
    List<Map<String, AttributeValue>> holds = fx.items("inventory_holds", "hold_id",
        ids.stream().map(CheckoutIds::holdId).toList());
    assertThat(holds).as("hold records of the race").hasSizeGreaterThanOrEqualTo(units)
        .noneSatisfy(hold -> assertThat(hold.get("state").s()).isEqualTo("open"));
    List<Map<String, AttributeValue>> records = fx.items("idempotency", "pk",
        ids.stream().map(CheckoutIds::recordId).toList());
    assertThat(records).as("one idempotency record per buyer").hasSize(buyers)
        .noneSatisfy(record -> assertThat(record).containsKey("pending"));
  }

  private static String liveCounter(String sku) {
    Redis redis = Redis.createClient(vertx, engines.devServices().endpoints().redis());
    try {
      Response counter = Engines.await(RedisAPI.api(redis).hget("inv{1}:avail", sku));
      return counter == null ? null : counter.toString();
    } finally {
      redis.close();
    }
  }

  @Test
  void twoSkuCartsWhenOneSkuRunsOutNoOrderLacksALineAndNoUnitLeaks() {
    int buyers = 200;
    String plenty = fx.product("plenty", "3.00", 150);
    String scarce = fx.product("scarce", "7.00", 50);
    List<Customer> customers = IntStream.range(0, buyers).mapToObj(i -> fx.mintedCustomer()).toList();
    fill(customers, List.of(plenty, scarce));

    List<Timed> results = CheckoutFixtures.timed(buyers, CONNECTIONS, i -> checkout(client, customers.get(i),
        CheckoutFixtures.key(), new AtomicInteger(), MAX_RESENDS));

    int orders = 0;
    for (Timed result : results) {
      HttpResponse<Buffer> response = result.response();
      if (response.statusCode() == 201) {
        orders++;
        assertThat(response.bodyAsJsonObject().getJsonArray("lines").stream()
            .map(line -> ((JsonObject) line).getString("sku")).toList())
            .containsExactlyInAnyOrder(plenty, scarce);
      } else {
        assertOutOfStock(response, scarce);
      }
    }
    assertThat(orders).isEqualTo(50);
    JsonObject plentyStock = fx.inventory(plenty);
    assertThat(plentyStock.getInteger("on_hand")).isEqualTo(100);
    assertThat(plentyStock.getInteger("held")).isZero();
    assertThat(plentyStock.getInteger("available")).isEqualTo(100);
    JsonObject scarceStock = fx.inventory(scarce);
    assertThat(scarceStock.getInteger("on_hand")).isZero();
    assertThat(scarceStock.getInteger("held")).isZero();
    assertThat(scarceStock.getInteger("available")).isZero();
    assertThat(fx.payments(customers.stream().map(Customer::id).toList()))
        .hasSize(50).allSatisfy(item -> assertThat(item.get("amount").s()).isEqualTo("10.00"));
  }

  /**
   * One buyer's checkout as the API tells clients to make it: a 503 (the store shedding a request that took too long
   * on a saturated machine) is sent again with the same Idempotency-Key, which either finds the first attempt's
   * outcome or finishes it; never a second order. The last answer counts; a 503 after every resend fails the test.
   */
  private static Future<HttpResponse<Buffer>> checkout(WebClient client, Customer customer, String key,
      AtomicInteger resent, int resends) {
    return CheckoutFixtures.checkout(client, api.port(), customer, key, CheckoutFixtures.body("tok_approve"))
        .compose(response -> {
          if (response.statusCode() != 503 || resends == 0) {
            return Future.succeededFuture(response);
          }
          resent.incrementAndGet();
          return checkout(client, customer, key, resent, resends - 1);
        });
  }

  private static void assertOutOfStock(HttpResponse<Buffer> response, String sku) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(409);
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/out-of-stock");
    assertThat(problem.getJsonArray("skus").getList()).containsExactly(sku);
  }

  /** Puts one unit of each SKU in every customer's cart (concurrently, over the pool). */
  private static void fill(List<Customer> customers, List<String> skus) {
    List<Timed> added = CheckoutFixtures.timed(customers.size() * skus.size(), CONNECTIONS, i -> fx.addToCart(client,
        customers.get(i / skus.size()), skus.get(i % skus.size()), 1));
    assertThat(added).allSatisfy(result -> assertThat(result.response().statusCode())
        .as(result.response().bodyAsString()).isEqualTo(200));
  }
}
