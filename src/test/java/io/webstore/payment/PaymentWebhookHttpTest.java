package io.webstore.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.checkout.KnownCheckoutIds;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code POST /api/v1/payments/webhooks/{provider}}: a signed event is recorded once; a bad signature or a stale
 * timestamp is 401 problem+json and records nothing. The shared store runs the dev profile, whose webhook secret is
 * in {@code conf/dev.json}.
 */
@WebstoreTest
class PaymentWebhookHttpTest {

  private static final String SECRET = "whsec_dev_only_not_a_secret";
  private static final String PATH = "/api/v1/payments/webhooks/sandbox";

  @Shared static Api api;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    fx = new CheckoutFixtures(api);
  }

  @Test
  void aSignedEventIsRecordedOnceAndARedeliveryIsADuplicate() {
    String id = "evt_" + UUID.randomUUID();
    String body = event(id);
    long now = Instant.now().getEpochSecond();
    HttpResponse<Buffer> first = send(body, Long.toString(now), WebhookVerifier.header(SECRET, now, bytes(body)));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject().put("received", true).put("duplicate", false)
        .put("outcome", "unknown_payment"));
    Map<String, AttributeValue> recorded = recorded(id);
    assertThat(recorded.get("event_type").s()).isEqualTo("payment.captured");
    assertThat(recorded.get("payment_key").s()).isEqualTo("pay_abc");

    long later = now + 1;
    HttpResponse<Buffer> again = send(body, Long.toString(later),
        WebhookVerifier.header(SECRET, later, bytes(body)));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(recorded(id).get("received_at")).as("the first delivery's record stands")
        .isEqualTo(recorded.get("received_at"));
  }

  @Test
  void aBadSignatureIs401AndRecordsNothing() {
    String id = "evt_" + UUID.randomUUID();
    String body = event(id);
    long now = Instant.now().getEpochSecond();
    String signedOtherBody = WebhookVerifier.header(SECRET, now, bytes(event("evt_other")));
    unauthorized(send(body, Long.toString(now), signedOtherBody));
    unauthorized(send(body, Long.toString(now), WebhookVerifier.header("not-the-secret", now, bytes(body))));
    unauthorized(send(body, Long.toString(now), "v1=zz"));
    unauthorized(send(body, Long.toString(now + 1), WebhookVerifier.header(SECRET, now, bytes(body))));
    assertThat(recordedIfAny(id)).isEmpty();
  }

  @Test
  void aStaleTimestampIs401AndRecordsNothing() {
    String id = "evt_" + UUID.randomUUID();
    String body = event(id);
    long stale = Instant.now().minusSeconds(301).getEpochSecond();
    unauthorized(send(body, Long.toString(stale), WebhookVerifier.header(SECRET, stale, bytes(body))));
    assertThat(recordedIfAny(id)).isEmpty();
  }

  @Test
  void aValidEventMovesThePaymentRecordOnceAndAnIllegalOneIsAnsweredButChangesNothing() {
    Customer customer = fx.mintedCustomer();
    String key = placed(customer);
    String paymentKey = KnownCheckoutIds.of(customer.id(), key).paymentKey();
    assertThat(fx.payment(customer.id(), key).get("status").s()).isEqualTo("authorized");

    // a signature over another body, or a stale timestamp: 401, and the record does not move
    String captured = paymentEvent("evt_" + UUID.randomUUID(), "payment.captured", paymentKey);
    long now = Instant.now().getEpochSecond();
    unauthorized(send(captured, Long.toString(now), WebhookVerifier.header("not-the-secret", now, bytes(captured))));
    long stale = Instant.now().minusSeconds(301).getEpochSecond();
    unauthorized(send(captured, Long.toString(stale), WebhookVerifier.header(SECRET, stale, bytes(captured))));
    assertThat(fx.payment(customer.id(), key).get("status").s()).isEqualTo("authorized");

    HttpResponse<Buffer> moved = signed(captured);
    assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
    assertThat(moved.bodyAsJsonObject()).isEqualTo(new JsonObject().put("received", true).put("duplicate", false)
        .put("outcome", "applied"));
    Map<String, AttributeValue> after = fx.payment(customer.id(), key);
    assertThat(after.get("status").s()).isEqualTo("captured");
    assertThat(after.get("captured").s()).isEqualTo(after.get("amount").s());

    HttpResponse<Buffer> redelivered = signed(captured);
    assertThat(redelivered.statusCode()).isEqualTo(200);
    assertThat(redelivered.bodyAsJsonObject()).isEqualTo(new JsonObject().put("received", true)
        .put("duplicate", true).put("outcome", "applied"));
    assertThat(fx.payment(customer.id(), key)).as("a duplicate changes nothing").isEqualTo(after);

    HttpResponse<Buffer> illegal = signed(paymentEvent("evt_" + UUID.randomUUID(), "payment.failed", paymentKey));
    assertThat(illegal.statusCode()).as(illegal.bodyAsString()).isEqualTo(200);
    assertThat(illegal.bodyAsJsonObject().getString("outcome")).isEqualTo("illegal_transition");
    assertThat(fx.payment(customer.id(), key)).as("captured cannot fail").isEqualTo(after);
    assertThat(api.management("/metrics").bodyAsString().lines())
        .anyMatch(line -> line.startsWith("webstore_payment_webhook_events_total{")
            && line.contains("outcome=\"illegal_transition\"") && line.contains("type=\"payment.failed\""));

    String refundEvent = new JsonObject().put("id", "evt_" + UUID.randomUUID()).put("type", "payment.refunded")
        .put("data", new JsonObject().put("payment_key", paymentKey).put("amount", "5.00").put("currency", "USD"))
        .encode();
    HttpResponse<Buffer> refunded = signed(refundEvent);
    assertThat(refunded.bodyAsJsonObject().getString("outcome")).isEqualTo("applied");
    Map<String, AttributeValue> partly = fx.payment(customer.id(), key);
    assertThat(partly.get("status").s()).isEqualTo("partially_refunded");
    assertThat(partly.get("refunded").s()).isEqualTo("5.00");
    assertThat(partly.get("refunds").n()).isEqualTo("1");
    assertThat(signed(refundEvent).bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(fx.payment(customer.id(), key)).isEqualTo(partly);
  }

  @Test
  void aVoidFromTheProviderVoidsAnAuthorizedPayment() {
    Customer customer = fx.mintedCustomer();
    String key = placed(customer);
    String paymentKey = KnownCheckoutIds.of(customer.id(), key).paymentKey();

    HttpResponse<Buffer> voided = signed(paymentEvent("evt_" + UUID.randomUUID(), "payment.voided", paymentKey));

    assertThat(voided.bodyAsJsonObject().getString("outcome")).isEqualTo("applied");
    Map<String, AttributeValue> after = fx.payment(customer.id(), key);
    assertThat(after.get("status").s()).isEqualTo("voided");
    assertThat(after.get("provider_voided").bool()).isTrue();
    assertThat(signed(paymentEvent("evt_" + UUID.randomUUID(), "payment.captured", paymentKey))
        .bodyAsJsonObject().getString("outcome")).as("a voided payment is never captured").isEqualTo(
            "illegal_transition");
    assertThat(fx.payment(customer.id(), key).get("status").s()).isEqualTo("voided");
  }

  /** A checkout of one unit paid with {@code tok_approve}; its Idempotency-Key. */
  private static String placed(Customer customer) {
    String sku = fx.product("hook", "10.00", 3);
    fx.addToCart(customer, sku, 1);
    String key = CheckoutFixtures.key();
    HttpResponse<Buffer> created = fx.checkout(customer, key, CheckoutFixtures.body("tok_approve"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return key;
  }

  private static String paymentEvent(String id, String type, String paymentKey) {
    return new JsonObject().put("id", id).put("type", type)
        .put("data", new JsonObject().put("payment_key", paymentKey)).encode();
  }

  private static HttpResponse<Buffer> signed(String body) {
    long now = Instant.now().getEpochSecond();
    return send(body, Long.toString(now), WebhookVerifier.header(SECRET, now, bytes(body)));
  }

  private static String event(String id) {
    return new JsonObject().put("id", id).put("type", "payment.captured")
        .put("data", new JsonObject().put("payment_key", "pay_abc")).encode();
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<Buffer> send(String body, String timestamp, String signature) {
    return Engines.await(api.request(HttpMethod.POST, PATH, null)
        .putHeader("Content-Type", "application/json")
        .putHeader(WebhookVerifier.TIMESTAMP, timestamp)
        .putHeader(WebhookVerifier.SIGNATURE, signature)
        .sendBuffer(Buffer.buffer(body)));
  }

  private static void unauthorized(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(401);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).endsWith("/problems/unauthorized");
  }

  private static Map<String, AttributeValue> recorded(String id) {
    List<Map<String, AttributeValue>> found = recordedIfAny(id);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<Map<String, AttributeValue>> recordedIfAny(String id) {
    return fx.items("payments", "pk", List.of("webhook#sandbox#" + id));
  }
}
