package io.webstore.payment;

import io.webstore.platform.money.Amount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import io.webstore.platform.money.AmountJson;
import java.time.Duration;
import java.util.Map;

/**
 * Typed access to the payment addresses. Failures arrive as the domain exceptions of the gateway ({@code
 * PaymentDeclined}, {@code Conflict}); a payment feature that does not answer in time gives {@code Unavailable}.
 */
public final class PaymentClient {

  /**
   * {@code {"key", "amount": {"amount", "currency"}, "token", "metadata": {...}}} → {@code {"key", "status":
   * "authorized", "amount", "authorization_id", "at"}}; fails PaymentDeclined (402) or Conflict.
   */
  public static final String AUTHORIZE = "payment.authorize";
  /** {@code {"key"}} → {@code {"key", "status"}} (voided, or declined when it never was authorized). */
  public static final String VOID = "payment.void";

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

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(Replies::recover);
  }
}
