package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFaults.Step;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A store armed with {@code checkout.faultStep} ({@link CheckoutFaults}) dies in the middle of a checkout (the flow stops dead, as in a
 * crash) and is stopped; the recovery of the shared store then settles the checkout: rolled back before the order
 * item exists, completed after. Stock, orders and charges agree afterwards, and a replay of the key gets the final
 * answer.
 */
@WebstoreTest
class CheckoutCrashRecoveryTest {

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void aCheckoutThatDiesMidwayIsSettledByRecovery(Step step) {
    String sku = fx.product("crash", "11.00", 10);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 2);
    String key = CheckoutFixtures.key();
    JsonObject body = CheckoutFixtures.body("tok_approve");
    String orderPath = "/api/v1/orders/" + CheckoutIds.of(customer.id(), key).orderId();

    WebStore crashing = CheckoutFaults.startStore(new JsonObject().put("checkout", new JsonObject()
        .put("faultStep", step.name()).put("leaseMs", 1_500).put("recoveryEnabled", false)));
    HttpResponse<Buffer> died;
    try (Api crashingApi = new Api(crashing)) {
      // each store signs with its own dev key: the same customer, with a token of the crashing store
      Customer there = new Customer(customer.id(), crashingApi.tokenFor(customer.id(), customer.id() + "@example.com",
          List.of()));
      died = Engines.await(CheckoutFixtures.checkout(crashingApi.client(), crashingApi.port(), there, key, body));
    } finally {
      Engines.await(crashing.stop());
    }
    assertThat(died.statusCode()).as(died.bodyAsString()).isEqualTo(503);
    assertThat(died.getHeader("Retry-After")).isEqualTo("1");
    assertThat(died.bodyAsJsonObject().getString("detail")).contains(step.name());

    // what the crash left behind
    assertThat(fx.idempotency(customer.id(), key)).containsKey("pending");
    boolean orderWritten = step == Step.AFTER_ORDER_WRITE || step == Step.AFTER_STOCK_COMMIT;
    assertThat(api.get(orderPath, customer.token()).statusCode()).isEqualTo(orderWritten ? 200 : 404);
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(step == Step.AFTER_STOCK_COMMIT ? 8 : 10);
    if (step != Step.AFTER_STOCK_COMMIT) {
      assertThat(fx.inventory(sku).getInteger("held")).isEqualTo(2);
    }
    assertThat(fx.payment(customer.id(), key).containsKey("status")).isEqualTo(step != Step.AFTER_HOLD);

    Deadline.await("recovery settles the checkout", Duration.ofSeconds(30), () -> {
      Engines.await(api.store().vertx().eventBus().request(CheckoutClient.RECOVER, new JsonObject()));
      return !fx.idempotency(customer.id(), key).containsKey("pending");
    });

    HttpResponse<Buffer> replay = fx.checkout(customer, key, body);
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("held")).as("no hold is left").isZero();
    Map<String, AttributeValue> payment = fx.payment(customer.id(), key);
    if (orderWritten) {
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(201);
      assertThat(replay.getHeader("Location")).isEqualTo(orderPath);
      JsonObject order = api.get(orderPath, customer.token()).bodyAsJsonObject();
      assertThat(order.getString("status")).isEqualTo("placed");
      assertThat(replay.bodyAsJsonObject().getString("id")).isEqualTo(order.getString("id"));
      assertThat(stock.getInteger("on_hand")).as("stock committed with the order").isEqualTo(8);
      assertThat(stock.getInteger("available")).isEqualTo(8);
      assertThat(payment.get("status").s()).isEqualTo("authorized");
      assertThat(api.get("/api/v1/cart", customer.token()).bodyAsJsonObject().getJsonArray("lines")).isEmpty();
    } else {
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(503);
      assertThat(replay.getHeader("Idempotent-Replayed")).isEqualTo("true");
      assertThat(replay.getHeader("Retry-After")).as("a stored 503 says when to retry, like every 503")
          .isEqualTo("1");
      assertThat(replay.bodyAsJsonObject().getString("detail")).contains("rolled back");
      assertThat(api.get(orderPath, customer.token()).statusCode()).isEqualTo(404);
      assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).isEmpty();
      assertThat(stock.getInteger("on_hand")).isEqualTo(10);
      assertThat(stock.getInteger("available")).isEqualTo(10);
      assertThat(payment.get("status").s()).as("no charge without an order").isEqualTo("voided");
      assertThat(api.get("/api/v1/cart", customer.token()).bodyAsJsonObject().getJsonArray("lines")).hasSize(1);
    }
    assertThat(fx.payments(List.of(customer.id())).stream().filter(p -> p.get("status").s().equals("authorized")))
        .hasSize(orderWritten ? 1 : 0);
  }
}
