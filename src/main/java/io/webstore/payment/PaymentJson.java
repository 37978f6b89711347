package io.webstore.payment;

import io.vertx.core.json.JsonObject;
import io.webstore.platform.money.AmountJson;
import java.time.Instant;

/** JSON shape of authorizations and payment records on the event bus (amounts in it: {@link AmountJson}). */
final class PaymentJson {

  private PaymentJson() {}

  static JsonObject authorization(Authorization authorization) {
    return new JsonObject()
        .put("key", authorization.key())
        .put("status", authorization.status().wire())
        .put("amount", AmountJson.toJson(authorization.amount()))
        .put("authorization_id", authorization.authorizationId())
        .put("at", authorization.at().toString())
        .put("review", authorization.review());
  }

  static Authorization authorization(JsonObject json) {
    return new Authorization(json.getString("key"), Authorization.Status.fromWire(json.getString("status")),
        AmountJson.fromJson(json.getJsonObject("amount")), json.getString("authorization_id", ""),
        Instant.parse(json.getString("at")), json.getBoolean("review"));
  }

  static JsonObject payment(Payment payment) {
    JsonObject json = new JsonObject()
        .put("key", payment.key())
        .put("status", payment.status().wire());
    if (payment.amount() != null) { // a void's fence has no amount
      json.put("amount", AmountJson.toJson(payment.amount()))
          .put("captured", AmountJson.toJson(payment.captured()))
          .put("refunded", AmountJson.toJson(payment.refunded()));
    }
    return json.put("refunds", payment.refunds())
        .put("reference", payment.reference())
        .put("decline_code", payment.declineCode())
        .put("review", payment.review())
        .put("updated_at", payment.updatedAt().toString());
  }

  static Payment payment(JsonObject json) {
    boolean priced = json.containsKey("amount");
    return new Payment(json.getString("key"), Authorization.Status.fromWire(json.getString("status")),
        priced ? AmountJson.fromJson(json.getJsonObject("amount")) : null,
        priced ? AmountJson.fromJson(json.getJsonObject("captured")) : null,
        priced ? AmountJson.fromJson(json.getJsonObject("refunded")) : null, json.getInteger("refunds"),
        json.getString("reference"), json.getString("decline_code"), json.getBoolean("review"),
        Instant.parse(json.getString("updated_at")));
  }
}
