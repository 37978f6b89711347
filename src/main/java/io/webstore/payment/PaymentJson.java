package io.webstore.payment;

import io.webstore.platform.money.AmountJson;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** JSON shape of authorizations on the event bus (amounts in it: {@link AmountJson}). */
final class PaymentJson {

  private PaymentJson() {}

  static JsonObject authorization(Authorization authorization) {
    return new JsonObject()
        .put("key", authorization.key())
        .put("status", authorization.status().wire())
        .put("amount", AmountJson.toJson(authorization.amount()))
        .put("authorization_id", authorization.authorizationId())
        .put("at", authorization.at().toString());
  }

  static Authorization authorization(JsonObject json) {
    return new Authorization(json.getString("key"), Authorization.Status.fromWire(json.getString("status")),
        AmountJson.fromJson(json.getJsonObject("amount")), json.getString("authorization_id", ""),
        Instant.parse(json.getString("at")));
  }
}
