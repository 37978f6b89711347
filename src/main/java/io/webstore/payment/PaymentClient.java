package io.webstore.payment;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import io.webstore.platform.money.Amount;
import io.webstore.platform.money.AmountJson;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to the payment addresses. Failures arrive as the domain exceptions of the gateway ({@code
 * PaymentDeclined}, {@code Conflict}, {@code NotFound}, {@code Validation}); a provider that gave no answer, an open
 * circuit, or a payment feature that does not answer in time give {@code Unavailable}.
 */
public final class PaymentClient {

  /**
   * {@code {"key", "amount": {"amount", "currency"}, "token", "metadata": {...}}} → {@code {"key", "status":
   * "authorized", "amount", "authorization_id", "at"}}; fails PaymentDeclined (402), Conflict or Unavailable.
   */
  public static final String AUTHORIZE = "payment.authorize";
  /** {@code {"key"}} → {@code {"key", "status"}} (voided, or declined when it never was authorized). */
  public static final String VOID = "payment.void";
  /** {@code {"key"}} → the payment record ({@link PaymentJson#payment}), now captured. */
  public static final String CAPTURE = "payment.capture";
  /**
   * {@code {"key", "amount"?: {"amount", "currency"}, "refund_key"?}} → the payment record after the refund, with
   * {@code "refund": {"number", "amount", "replayed"}}: the refund the key names (a repeated key names the same one).
   */
  public static final String REFUND = "payment.refund";
  /**
   * {@code {"provider", "timestamp", "signature", "body"}} (the raw body as sent) → {@code {"received": true,
   * "duplicate"}}; Unauthorized for a bad signature or a stale timestamp.
   */
  public static final String WEBHOOK = "payment.webhook";
  /** {@code {"key"}} → the payment record; NotFound when the key has none. */
  public static final String GET = "payment.get";

  private final Vertx vertx;
  private final DeliveryOptions options;

  public PaymentClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  public Future<Authorization> authorize(String key, Amount amount, String token, Map<String, String> metadata) {
    JsonObject meta = new JsonObject();
    metadata.forEach(meta::put);
    return request(AUTHORIZE, new JsonObject().put("key", key).put("amount", AmountJson.toJson(amount))
            .put("token", token).put("metadata", meta))
        .map(PaymentJson::authorization);
  }

  public Future<Authorization.Status> voidAuthorization(String key) {
    return request(VOID, new JsonObject().put("key", key))
        .map(reply -> Authorization.Status.fromWire(reply.getString("status")));
  }

  public Future<Payment> capture(String key) {
    return request(CAPTURE, new JsonObject().put("key", key)).map(PaymentJson::payment);
  }

  public Future<Payment> refund(String key, Optional<Amount> amount) {
    JsonObject body = new JsonObject().put("key", key);
    amount.ifPresent(value -> body.put("amount", AmountJson.toJson(value)));
    return request(REFUND, body).map(PaymentJson::payment);
  }

  /**
   * Refunds once per {@code refundKey} (see {@link #REFUND}); the answer is the payment record with the {@code
   * refund} it made or made before.
   */
  public Future<JsonObject> refund(String key, Optional<Amount> amount, Optional<String> refundKey) {
    JsonObject body = new JsonObject().put("key", key);
    amount.ifPresent(value -> body.put("amount", AmountJson.toJson(value)));
    refundKey.ifPresent(value -> body.put("refund_key", value));
    return request(REFUND, body);
  }

  public Future<Payment> get(String key) {
    return request(GET, new JsonObject().put("key", key)).map(PaymentJson::payment);
  }

  /** The payment record as JSON (the body of the admin refund answer). */
  public static JsonObject document(Payment payment) {
    return PaymentJson.payment(payment);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(Replies::recover);
  }
}
