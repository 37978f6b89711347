package io.webstore.platform.money;

import io.vertx.core.json.JsonObject;

/** The one JSON form of an {@link Amount}, on the event bus, in stored answers and in the API alike. */
public final class AmountJson {

  private AmountJson() {}

  /** {@code {"amount": "19.99", "currency": "USD"}}: the amount as a decimal string, never a float. */
  public static JsonObject toJson(Amount amount) {
    return new JsonObject().put("amount", amount.text()).put("currency", amount.currency());
  }

  /** Reads {@code {"amount", "currency"}}; the amount may arrive as a string or a number. */
  public static Amount fromJson(JsonObject json) {
    return Amount.of(String.valueOf(json.getValue("amount")), json.getString("currency"));
  }
}
