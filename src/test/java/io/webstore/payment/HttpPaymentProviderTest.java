package io.webstore.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.money.Amount;
import io.webstore.testing.Engines;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link HttpPaymentProvider} under {@link ProviderCalls} against a provider served by this test on a local port,
 * speaking the protocol of the adapter's javadoc: the secret and the idempotency key travel with every request,
 * retryable statuses are retried under the same key, others are not, an attempt without an answer ends at its
 * timeout, and a provider that keeps failing opens the circuit, after which no request reaches it.
 */
@ExtendWith(VertxExtension.class)
class HttpPaymentProviderTest {

  private static final String SECRET = "sk_test_" + UUID.randomUUID();
  private static final Amount AMOUNT = Amount.of("12.34", "EUR");

  /** What the provider received: {@code <path> <Idempotency-Key>} per request that carried the secret. */
  static final List<String> received = new CopyOnWriteArrayList<>();
  static final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
  static final AtomicInteger unauthorized = new AtomicInteger();
  static HttpServer server;
  static URI base;

  @BeforeAll
  static void startProvider(Vertx vertx) {
    server = Engines.await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (!("Bearer " + SECRET).equals(request.getHeader("Authorization"))) {
        unauthorized.incrementAndGet();
        request.response().setStatusCode(401).end();
        return;
      }
      String key = request.getHeader("Idempotency-Key");
      received.add(request.path() + " " + key);
      int seen = perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      answer(request, body.toJsonObject(), seen);
    })).listen(0, "127.0.0.1"));
    base = URI.create("http://127.0.0.1:" + server.actualPort() + "/provider/");
  }

  private static void answer(HttpServerRequest request, JsonObject body, int seen) {
    if (!request.path().endsWith("/v1/authorizations")) {
      request.response().setStatusCode(200).end(new JsonObject().put("ok", true).encode());
      return;
    }
    switch (body.getString("token")) {
      case "tok_ok" -> json(request, new JsonObject().put("status", "approved")
          .put("reference", "ref_" + body.getString("payment_key")).put("review", false));
      case "tok_funds" -> json(request, new JsonObject().put("status", "declined")
          .put("decline_code", "insufficient_funds"));
      case "tok_flaky" -> {
        if (seen <= 2) {
          request.response().setStatusCode(503).end();
        } else {
          json(request, new JsonObject().put("status", "approved").put("reference", "ref_flaky"));
        }
      }
      case "tok_bad" -> request.response().setStatusCode(400).end();
      case "tok_slow" -> { } // never answers
      default -> request.response().setStatusCode(500).end();
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  @AfterAll
  static void stop() {
    Engines.await(server.close());
  }

  private static ProviderCalls calls(Vertx vertx, int breakerCalls) {
    return new ProviderCalls(vertx, new SimpleMeterRegistry(), new PaymentSettings("http", Duration.ofMillis(500), 3,
        50, breakerCalls, breakerCalls, Duration.ofSeconds(60), Optional.of(base), SECRET, "",
        Duration.ofMinutes(5)));
  }

  private static HttpPaymentProvider provider(Vertx vertx) {
    return new HttpPaymentProvider(vertx, base, SECRET, Duration.ofMillis(500));
  }

  @Test
  void approvalsAndDeclinesArriveWithTheSecretAndTheKey(Vertx vertx) {
    ProviderCalls calls = calls(vertx, 20);
    HttpPaymentProvider provider = provider(vertx);
    String key = "pay_" + UUID.randomUUID();
    ProviderDecision approved = Engines.await(calls.run("authorize", () -> provider.authorize(key, AMOUNT,
        "tok_ok")));
    assertThat(approved).isEqualTo(ProviderDecision.approved("ref_" + key, false));
    String declinedKey = "pay_" + UUID.randomUUID();
    ProviderDecision declined = Engines.await(calls.run("authorize", () -> provider.authorize(declinedKey, AMOUNT,
        "tok_funds")));
    assertThat(declined).isEqualTo(ProviderDecision.declined("insufficient_funds"));

    Engines.await(calls.run("capture", () -> provider.capture(key + ":capture", "ref_" + key, AMOUNT)));
    Engines.await(calls.run("refund", () -> provider.refund(key + ":refund:1", "ref_" + key, AMOUNT)));
    Engines.await(calls.run("void", () -> provider.voidAuthorization(declinedKey + ":void", declinedKey)));
    assertThat(received).contains("/provider/v1/authorizations " + key, "/provider/v1/captures " + key + ":capture",
        "/provider/v1/refunds " + key + ":refund:1", "/provider/v1/voids " + declinedKey + ":void");
    assertThat(unauthorized).hasValue(0);
  }

  @Test
  void retryableStatusesAreRetriedUnderTheSameKeyAndOthersAreNot(Vertx vertx) {
    ProviderCalls calls = calls(vertx, 20);
    HttpPaymentProvider provider = provider(vertx);
    String flaky = "pay_" + UUID.randomUUID();
    ProviderDecision approved = Engines.await(calls.run("authorize", () -> provider.authorize(flaky, AMOUNT,
        "tok_flaky")));
    assertThat(approved.approved()).isTrue();
    assertThat(perKey.get(flaky)).as("two 503s, then the approval").hasValue(3);

    String bad = "pay_" + UUID.randomUUID();
    Throwable refused = Engines.awaitFailure(calls.run("authorize", () -> provider.authorize(bad, AMOUNT,
        "tok_bad")), Duration.ofSeconds(10));
    assertThat(refused).isInstanceOf(Unavailable.class);
    assertThat(perKey.get(bad)).as("a 400 is not retried").hasValue(1);
  }

  @Test
  void anAttemptWithoutAnAnswerEndsAtItsTimeoutAndIsNotRetried(Vertx vertx) {
    ProviderCalls calls = calls(vertx, 20);
    HttpPaymentProvider provider = provider(vertx);
    String slow = "pay_" + UUID.randomUUID();
    long started = System.nanoTime();
    Throwable timedOut = Engines.awaitFailure(calls.run("authorize", () -> provider.authorize(slow, AMOUNT,
        "tok_slow")), Duration.ofSeconds(10));
    assertThat(timedOut).isInstanceOf(Unavailable.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(perKey.get(slow)).hasValue(1);
  }

  @Test
  void aProviderThatKeepsFailingOpensTheCircuitAndIsNoLongerCalled(Vertx vertx) {
    ProviderCalls calls = calls(vertx, 4);
    HttpPaymentProvider provider = provider(vertx);
    for (int i = 0; i < 4; i++) {
      String key = "pay_" + UUID.randomUUID();
      assertThat(Engines.awaitFailure(calls.run("authorize", () -> provider.authorize(key, AMOUNT, "tok_down")),
          Duration.ofSeconds(10))).isInstanceOf(Unavailable.class);
      assertThat(perKey.get(key)).as("a 500 is retried").hasValue(3);
    }
    String refused = "pay_" + UUID.randomUUID();
    Throwable open = Engines.awaitFailure(calls.run("authorize", () -> provider.authorize(refused, AMOUNT,
        "tok_ok")), Duration.ofSeconds(10));
    assertThat(open).isInstanceOf(Unavailable.class).hasMessageContaining("unavailable right now");
    assertThat(perKey).as("the open circuit calls nobody").doesNotContainKey(refused);
  }
}
