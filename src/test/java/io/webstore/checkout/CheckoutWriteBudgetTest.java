package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.DynamoCallCounter;
import io.webstore.testing.DynamoCallCounter.Call;
import io.webstore.testing.DynamoCallCounter.Recording;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one successful checkout costs in DynamoDB writes, counted at the SDK ({@link DynamoCallCounter}) on every
 * table of a store of its own (a unique table prefix, its periodic work and the outbox relay pushed out of the test's
 * time), so every write counted is one the checkout request made. The number is pinned: a write added to the saga
 * shows up here, by table and operation; so does a read.
 */
@WebstoreTest
class CheckoutWriteBudgetTest {

  private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
      "TransactWriteItems");

  static String prefix;
  static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start(Stores stores) {
    prefix = DynamoCallCounter.uniquePrefix("w");
    WebStore store = stores.start(DynamoCallCounter.quietStore(prefix)
        .put("events", new JsonObject().put("relayEnabled", false)));
    api = stores.api(store);
    fx = new CheckoutFixtures(api);
  }

  @Test
  void aPlacedOrderCostsItsPinnedNumberOfWrites() {
    String sku = fx.product("budget", "12.50", 50);
    // the first checkout warms what a store does once (a table's first read, the catalog's cache)
    for (int order = 0; order < 3; order++) {
      Customer customer = fx.mintedCustomer();
      fx.addToCart(customer, sku, 2);
      Map<String, Integer> writes = new TreeMap<>();
      Map<String, Integer> reads = new TreeMap<>();
      try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix)) {
        HttpResponse<Buffer> placed = fx.checkout(customer, CheckoutFixtures.key(),
            CheckoutFixtures.body("tok_approve"));
        assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
        for (Call call : calls.calls()) {
          String table = call.tables().iterator().next().substring(prefix.length());
          (WRITES.contains(call.operation()) ? writes : reads).merge(table + " " + call.operation(), 1, Integer::sum);
        }
      }
      int total = writes.values().stream().mapToInt(Integer::intValue).sum();
      System.out.printf("dynamo.writes.checkout order=%d writes=%d %s reads=%s%n", order, total, writes, reads);
      assertThat(writes).as("DynamoDB writes of one placed order, by table and operation").isEqualTo(Map.of(
          "idempotency PutItem", 1, "idempotency UpdateItem", 1,
          "inventory_holds PutItem", 1, "inventory_holds UpdateItem", 2,
          "carts PutItem", 2,
          "payments PutItem", 1, "payments UpdateItem", 1,
          "orders PutItem", 1,
          "inventory UpdateItem", 1));
      // the cart read at the claim and at the removal of what was ordered; the provider's risk flag comes with the
      // authorization's answer, not from a read of the payment record
      assertThat(reads).as("DynamoDB reads of one placed order, by table and operation")
          .isEqualTo(Map.of("carts GetItem", 2));
    }
  }
}
