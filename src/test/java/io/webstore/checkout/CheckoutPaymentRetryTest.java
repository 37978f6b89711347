package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A checkout whose payment provider authorizes the first charge but never answers it (the answer is lost, as with
 * {@code tok_timeout}, except that the money was reserved): the checkout is 503 with {@code Retry-After}, its hold
 * released and its payment key voided at the provider. The shopper retries with the same {@code Idempotency-Key} and
 * the same body, and gets 201: the retry ran the checkout again under new ids, the first authorization was voided at
 * the provider before the second was asked for, so exactly one authorization stands, and the stock is committed once.
 * The provider is {@link io.webstore.payment} 's HTTP adapter against a provider served by this test.
 */
@WebstoreTest
class CheckoutPaymentRetryTest {

  private static final String SECRET = "sk_test_" + UUID.randomUUID();

  /** Authorizations the provider made (payment key), and those voided since. */
  static final Set<String> authorized = ConcurrentHashMap.newKeySet();
  static final Set<String> voided = ConcurrentHashMap.newKeySet();
  /** While set, the provider authorizes a charge and never answers the request. */
  static final AtomicBoolean silent = new AtomicBoolean();

  static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start(Vertx vertx, Stores stores) {
    HttpServer provider = Engines.await(vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> answer(request, body.toJsonObject())))
        .listen(0, "127.0.0.1"));
    api = stores.api(stores.start(new JsonObject().put("payment", new JsonObject()
        .put("provider", "http")
        .put("httpUrl", "http://127.0.0.1:" + provider.actualPort() + "/")
        .put("httpSecret", SECRET)
        .put("attemptTimeoutMs", 300)
        .put("attempts", 1))));
    fx = new CheckoutFixtures(api);
  }

  private static void answer(HttpServerRequest request, JsonObject body) {
    if (!("Bearer " + SECRET).equals(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401).end();
      return;
    }
    String key = body.getString("payment_key", "");
    switch (request.path()) {
      case "/v1/authorizations" -> {
        authorized.add(key);
        if (silent.getAndSet(false)) {
          return; // the money is reserved; the answer never leaves
        }
        json(request, new JsonObject().put("status", "approved").put("reference", "ref_" + key));
      }
      case "/v1/voids" -> {
        voided.add(key);
        json(request, new JsonObject());
      }
      default -> json(request, new JsonObject());
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Test
  void aRetryWithTheSameKeyAfterA503IsOneChargeAndOneCommit() {
    String sku = fx.product("retry", "9.00", 5);
    Customer customer = fx.mintedCustomer();
    fx.addToCart(customer, sku, 2);
    String key = CheckoutFixtures.key();
    JsonObject body = CheckoutFixtures.body("tok_any");
    CheckoutIds first = CheckoutIds.of(customer.id(), key);
    CheckoutIds second = first.next();

    silent.set(true);
    HttpResponse<Buffer> unavailable = fx.checkout(customer, key, body);

    assertThat(unavailable.statusCode()).as(unavailable.bodyAsString()).isEqualTo(503);
    assertThat(unavailable.getHeader("Retry-After")).isNotBlank();
    assertThat(unavailable.bodyAsJsonObject().getString("detail")).contains("nothing was charged")
        .contains("same Idempotency-Key");
    JsonObject released = fx.inventory(sku);
    assertThat(released.getInteger("held")).isZero();
    assertThat(released.getInteger("available")).isEqualTo(5);
    assertThat(fx.payment(customer.id(), key).get("status").s()).isEqualTo("voided");
    assertThat(authorized).contains(first.paymentKey());
    assertThat(voided).as("the silent authorization is voided at the provider").contains(first.paymentKey());
    assertThat(fx.idempotency(customer.id(), key).get("step").s()).isEqualTo("retryable");

    HttpResponse<Buffer> placed = fx.checkout(customer, key, body);

    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    assertThat(placed.getHeader("Location")).isEqualTo("/api/v1/orders/" + second.orderId());
    assertThat(placed.bodyAsJsonObject().getString("id")).isEqualTo(second.orderId());
    JsonObject stock = fx.inventory(sku);
    assertThat(stock.getInteger("on_hand")).as("committed once").isEqualTo(3);
    assertThat(stock.getInteger("held")).isZero();
    assertThat(stock.getInteger("available")).isEqualTo(3);
    assertThat(authorized).containsExactlyInAnyOrder(first.paymentKey(), second.paymentKey());
    assertThat(authorized.stream().filter(paymentKey -> !voided.contains(paymentKey)))
        .as("one authorization stands at the provider").containsExactly(second.paymentKey());
    List<Map<String, AttributeValue>> payments = fx.payments(List.of(customer.id()));
    assertThat(payments.stream().filter(payment -> payment.get("status").s().equals("authorized")))
        .as("one authorized payment record").hasSize(1)
        .allMatch(payment -> payment.get("pk").s().equals(second.paymentKey()));
    assertThat(api.get("/api/v1/orders", customer.token()).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/api/v1/orders/" + first.orderId(), customer.token()).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/cart", customer.token()).bodyAsJsonObject().getJsonArray("lines")).isEmpty();

    HttpResponse<Buffer> replayed = fx.checkout(customer, key, body);
    assertThat(replayed.statusCode()).isEqualTo(201);
    assertThat(replayed.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replayed.bodyAsString()).isEqualTo(placed.bodyAsString());
    assertThat(fx.inventory(sku).getInteger("on_hand")).isEqualTo(3);
    assertThat(authorized).hasSize(2);
  }
}
