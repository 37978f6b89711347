package io.webstore.payment;

import io.webstore.platform.money.Amount;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** JSON shapes of amounts and authorizations on the event bus. */
public final class PaymentJson {

  private PaymentJson() {}

  public static JsonObject amount(Amount amount) {
    return new JsonObject().put("amount", amount.text()).put("currency", amount.currency());
  }

  /** Reads {@code {"amount", "currency"}}; the amount may arrive as a string or a number. */
  public static Amount amount(JsonObject json) {
    return Amount.of(String.valueOf(json.getValue("amount")), json.getString("currency"));
  }

  static JsonObject authorization(Authorization authorization) {
    return new JsonObject()
        .put("key", authorization.key())
        .put("status", authorization.status().wire())
        .put("amount", amount(authorization.amount()))
        .put("authorization_id", authorization.authorizationId())
        .put("at", authorization.at().toString());
  }

  static Authorization authorization(JsonObject json) {
    return new Authorization(json.getString("key"), Authorization.Status.fromWire(json.getString("status")),
        amount(json.getJsonObject("amount")), json.getString("authorization_id", ""),
        Instant.parse(json.getString("at")));
  }
}
