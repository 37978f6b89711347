package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.DynamoCallCounter;
import io.webstore.testing.DynamoCallCounter.Recording;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the hot paths cost in DynamoDB, counted at the SDK ({@link DynamoCallCounter}): every call on any table,
 * scans and batches included. Two stores share tables of their own (a unique prefix, so no other store of this JVM
 * touches them) with their periodic work (catalog snapshot, checkout recovery, order compensations, hold sweeper)
 * pushed out of the test's time, so every call counted is one a request made.
 */
@WebstoreTest
class DynamoCallBudgetTest {

  static String prefix;
  static WebStore one;
  static WebStore two;
  static Api apiOne;
  static Api apiTwo;

  @BeforeAll
  static void start(Stores stores) {
    prefix = DynamoCallCounter.uniquePrefix("b");
    JsonObject quiet = DynamoCallCounter.quietStore(prefix);
    one = stores.start(quiet);
    two = stores.start(quiet);
    apiOne = stores.api(one);
    apiTwo = stores.api(two);
  }

  @Test
  void theCounterSeesTheStoresCallsOnEveryTable() {
    try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix)) {
      new CheckoutFixtures(apiTwo).product("SEEN", "1.00", 5);
      assertThat(calls.calls()).as("a product created and stocked")
          .anySatisfy(call -> assertThat(call.tables()).containsExactly(prefix + "products"))
          .anySatisfy(call -> assertThat(call.tables()).containsExactly(prefix + "inventory"));
    }
    try (Recording scans = DynamoCallCounter.onTablesStartingWith(prefix)) {
      assertThat(apiOne.get("/api/v1/products?size=5&q=nothing-matches-" + UUID.randomUUID(), null).statusCode())
          .isIn(200);
      Engines.await(Future.fromCompletionStage(one.services().aws().dynamo()
          .scan(scan -> scan.tableName(prefix + "products").limit(1))));
      assertThat(scans.calls()).as("a scan is counted too")
          .anySatisfy(call -> assertThat(call.operation()).isEqualTo("Scan"));
    }
  }

  @Test
  void twoHundredReadsOfAHotProductCostAtMostOneDynamoDbCall() {
    String sku = new CheckoutFixtures(apiOne).product("HOT", "99.99", 50);
    try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix)) {
      readInWaves(List.of(apiOne), sku, 10, 20);
      System.out.printf("dynamo.calls.hot_product instances=1 reads=200 calls=%d %s%n", calls.count(),
          calls.calls());
      assertThat(calls.calls()).as("DynamoDB calls for 200 reads").hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void twoHundredReadsOfAHotProductOnTwoInstancesCostAtMostOneDynamoDbCall() {
    String sku = new CheckoutFixtures(apiOne).product("HOT2", "99.99", 50);
    try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix)) {
      readInWaves(List.of(apiOne, apiTwo), sku, 10, 10);
      System.out.printf("dynamo.calls.hot_product instances=2 reads=200 calls=%d %s%n", calls.count(),
          calls.calls());
      assertThat(calls.calls()).as("DynamoDB calls for 200 reads on two instances").hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void aSoldOutAddCostsNoDynamoDbCallOnEitherInstance() {
    String soldOut = new CheckoutFixtures(apiOne).product("SOLD", "499.00", 0);
    for (Api api : List.of(apiOne, apiTwo)) {
      CheckoutFixtures fx = new CheckoutFixtures(api);
      Customer customer = fx.mintedCustomer();
      assertThat(api.get("/api/v1/cart", customer.token()).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> guestCart = api.get("/api/v1/cart", null);
      String sid = guestCart.getHeader("X-Session-Id");
      assertThat(sid).isNotBlank();
      JsonObject add = new JsonObject().put("sku", soldOut).put("quantity", 1);
      try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix)) {
        HttpResponse<Buffer> refused = api.call(HttpMethod.POST, "/api/v1/cart/items", customer.token(), add);
        HttpResponse<Buffer> guest = Engines.await(api.request(HttpMethod.POST, "/api/v1/cart/items", null)
            .putHeader("X-Session-Id", sid).sendJsonObject(add));
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
        assertThat(guest.statusCode()).as(guest.bodyAsString()).isEqualTo(409);
        assertThat(guest.bodyAsJsonObject().getString("type")).isEqualTo("/problems/out-of-stock");
        System.out.printf("dynamo.calls.sold_out_add store=%d calls=%d %s%n", api.port(), calls.count(),
            calls.calls());
        assertThat(calls.calls()).as("DynamoDB calls for a sold-out add (customer and guest)").isEmpty();
      }
    }
  }

  /** {@code waves} waves of {@code perWave} concurrent reads on each store. */
  private static void readInWaves(List<Api> stores, String sku, int waves, int perWave) {
    for (int wave = 0; wave < waves; wave++) {
      List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
      for (Api api : stores) {
        for (int i = 0; i < perWave; i++) {
          reads.add(api.send(HttpMethod.GET, "/api/v1/products/" + sku, null, null));
        }
      }
      Engines.await(Future.all(reads));
      reads.forEach(read -> assertThat(read.result().statusCode()).isEqualTo(200));
    }
  }
}
