package io.webstore.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures;
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
    assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject().put("received", true).put("duplicate", false));
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
