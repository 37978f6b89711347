package io.webstore.fraud;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.fraud.FraudVerdict.Decision;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code fraud.score} and {@code fraud.loginFailed} bodies (see {@code bus/fraud.*.json}). */
final class FraudJson {

  private FraudJson() {}

  static JsonObject toJson(FraudRequest request) {
    JsonObject json = new JsonObject().put("event", request.event().wireName()).put("ip", request.ip());
    putIfKnown(json, "account", request.account());
    putIfKnown(json, "email", request.email());
    putIfKnown(json, "device_id", request.deviceId());
    putIfKnown(json, "card_token", request.cardToken());
    putIfKnown(json, "card_fingerprint", request.cardFingerprint());
    putIfKnown(json, "amount", request.amount() == null ? null : request.amount().toPlainString());
    putIfKnown(json, "currency", request.currency());
    putIfKnown(json, "shipping_country", request.shippingCountry());
    putIfKnown(json, "billing_country", request.billingCountry());
    putIfKnown(json, "account_created_at",
        request.accountCreatedAt() == null ? null : request.accountCreatedAt().toString());
    return json;
  }

  /**
   * The request of a {@code fraud.score} message.
   *
   * @throws IllegalArgumentException naming the first bad field (its JSON pointer)
   */
  static FraudRequest request(JsonObject json) {
    String event = text(json, "event");
    if (event == null || !(event.equals("login") || event.equals("payment"))) {
      throw new IllegalArgumentException("/event");
    }
    String ip = text(json, "ip");
    if (ip == null || ip.isBlank()) {
      throw new IllegalArgumentException("/ip");
    }
    BigDecimal amount;
    try {
      amount = text(json, "amount") == null ? null : new BigDecimal(text(json, "amount"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("/amount", e);
    }
    if (amount != null && amount.signum() < 0) {
      throw new IllegalArgumentException("/amount");
    }
    Instant created;
    try {
      created = text(json, "account_created_at") == null ? null : Instant.parse(text(json, "account_created_at"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("/account_created_at", e);
    }
    return new FraudRequest(FraudEvent.fromWire(event), text(json, "account"), text(json, "email"), ip,
        text(json, "device_id"), text(json, "card_token"), text(json, "card_fingerprint"), amount,
        text(json, "currency"), text(json, "shipping_country"), text(json, "billing_country"), created);
  }

  static JsonObject toJson(FraudVerdict verdict) {
    return new JsonObject()
        .put("score", verdict.score())
        .put("decision", verdict.decision().wireName())
        .put("reasons", new JsonArray(new ArrayList<>(verdict.reasons())))
        .put("scorer", verdict.scorer())
        .put("retry_after_seconds", verdict.retryAfterSeconds());
  }

  static FraudVerdict verdict(JsonObject json) {
    List<String> reasons = new ArrayList<>();
    json.getJsonArray("reasons").forEach(reason -> reasons.add(String.valueOf(reason)));
    return new FraudVerdict(json.getDouble("score"), Decision.fromWire(json.getString("decision")), reasons,
        json.getString("scorer"), json.getLong("retry_after_seconds", 0L));
  }

  private static String text(JsonObject json, String key) {
    Object raw = json.getValue(key);
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String text)) {
      throw new IllegalArgumentException("/" + key);
    }
    return text;
  }

  private static void putIfKnown(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
