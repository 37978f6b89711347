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
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.checkout.CheckoutFixtures.Timed;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Redis loses everything (FLUSHALL) while buyers check out over HTTP. Every answer is a clean one (placed, sold out,
 * or "retry later"), nothing is oversold, and once the ledger is rebuilt from DynamoDB every unit is accounted for.
 * The flush hits the Redis every test class of this JVM shares; other features treat Redis as a rebuildable cache.
 */
@WebstoreTest
class CheckoutRedisFlushTest {

  private static final int CONNECTIONS = 40;

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
  void aFlushDuringACheckoutRaceAnswersCleanlyNeverOversellsAndAccountsForEveryUnit() {
    int buyers = 200;
    int stock = 80;
    String sku = fx.product("flush", "9.00", stock);
    List<Customer> customers = IntStream.range(0, buyers).mapToObj(i -> fx.mintedCustomer()).toList();
    List<Timed> added = CheckoutFixtures.timed(buyers, CONNECTIONS, i -> fx.addToCart(client, customers.get(i), sku,
        1));
    assertThat(added).allSatisfy(result -> assertThat(result.response().statusCode()).isEqualTo(200));

    AtomicInteger answered = new AtomicInteger();
    Future<Void> flushed = vertx.<Void>executeBlocking(() -> {
      // the flush lands while checkouts are in flight: after the first answers, long before the last
      Deadline.await("the first checkouts answered", Duration.ofSeconds(60), () -> answered.get() >= 20);
      Redis redis = Redis.createClient(vertx, engines.devServices().endpoints().redis());
      try {
        Engines.await(RedisAPI.api(redis).flushall(List.of()));
      } finally {
        redis.close();
      }
      return null;
    }, false);
    AtomicInteger answeredAtFlush = new AtomicInteger(-1);
    flushed.onSuccess(done -> answeredAtFlush.set(answered.get()));
    List<Timed> results = CheckoutFixtures.timed(buyers, CONNECTIONS, i -> CheckoutFixtures.checkout(client,
            api.port(), customers.get(i), CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"))
        .andThen(done -> answered.incrementAndGet()));
    Engines.await(flushed);

    Map<Integer, Integer> byStatus = new HashMap<>();
    for (Timed result : results) {
      HttpResponse<Buffer> response = result.response();
      byStatus.merge(response.statusCode(), 1, Integer::sum);
      assertThat(response.statusCode()).as(response.bodyAsString()).isIn(201, 409, 503);
      if (response.statusCode() == 503) {
        assertThat(response.getHeader("Retry-After")).as("503 says when to retry").isNotBlank();
      }
      if (response.statusCode() == 409) {
        assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/out-of-stock");
      }
    }
    System.out.printf("checkout.redis_flush buyers=%d stock=%d answered_at_flush=%d by_status=%s%n", buyers, stock,
        answeredAtFlush.get(), byStatus);
    assertThat(answeredAtFlush.get()).as("the flush came before the race ended").isLessThan(buyers);

    List<String> customerIds = customers.stream().map(Customer::id).toList();
    int placed = byStatus.getOrDefault(201, 0);
    assertThat(placed).as("orders never exceed the stock").isLessThanOrEqualTo(stock);

    // once the ledger is rebuilt and the unsettled checkouts are settled, every unit is accounted for
    JsonObject settled = Deadline.until("the ledger rebuilt with no unit held", Duration.ofSeconds(90), () -> {
      JsonObject level = fx.inventoryIfReady(sku);
      return level != null && level.getInteger("held") == 0 ? level : null;
    });
    List<Map<String, AttributeValue>> orders = fx.ordersOf(customerIds);
    long live = orders.stream().filter(order -> !order.get("status").s().equals("cancelled")).count();
    System.out.printf("checkout.redis_flush.settled orders=%d live_orders=%d on_hand=%d available=%d%n",
        orders.size(), live, settled.getInteger("on_hand"), settled.getInteger("available"));
    assertThat(live).as("orders in the table").isGreaterThanOrEqualTo(placed).isLessThanOrEqualTo(stock);
    assertThat(settled.getInteger("on_hand")).as("on hand = stock - orders").isEqualTo(stock - (int) live);
    assertThat(settled.getInteger("available")).isEqualTo(stock - (int) live);
    assertThat(fx.payments(customerIds).stream().filter(p -> p.get("status").s().equals("authorized")).count())
        .as("one charge per order").isEqualTo(live);
  }
}
