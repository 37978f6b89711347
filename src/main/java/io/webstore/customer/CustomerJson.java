package io.webstore.customer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Validation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON forms of the customer feature's records, shared by the event bus and HTTP (snake_case, as the API). */
final class CustomerJson {

  private CustomerJson() {}

  static JsonObject toJson(Customer customer) {
    JsonObject consents = new JsonObject();
    customer.consents().byName().forEach(consents::put);
    return new JsonObject()
        .put("id", customer.id())
        .put("email", customer.email().value())
        .put("created_at", customer.createdAt().toString())
        .put("consents", consents);
  }

  static Customer customer(JsonObject json) {
    return new Customer(json.getString("id"), new EmailAddress(json.getString("email")),
        Instant.parse(json.getString("created_at")), Consents.of(booleans(json.getJsonObject("consents"))));
  }

  static JsonObject toJson(AccessToken token) {
    JsonObject json = new JsonObject()
        .put("access_token", token.token())
        .put("token_type", token.type())
        .put("expires_in", token.expiresInSeconds());
    token.refreshToken().ifPresent(refresh -> json.put("refresh_token", refresh));
    return json;
  }

  static AccessToken accessToken(JsonObject json) {
    return new AccessToken(json.getString("access_token"), json.getString("token_type"), json.getLong("expires_in"),
        Optional.ofNullable(json.getString("refresh_token")));
  }

  /** The consents named in a change; a value that is not a boolean is a {@link Validation}. */
  static Map<String, Boolean> consentChanges(JsonObject json) {
    if (json == null) {
      throw Validation.of("/consents", "consents must be an object of booleans");
    }
    Map<String, Boolean> changes = new LinkedHashMap<>();
    for (String name : json.fieldNames()) {
      if (!(json.getValue(name) instanceof Boolean given)) {
        throw Validation.of("/consents/" + name, name + " must be true or false");
      }
      changes.put(name, given);
    }
    return changes;
  }

  static JsonObject consentsJson(Map<String, Boolean> changes) {
    JsonObject json = new JsonObject();
    changes.forEach(json::put);
    return json;
  }

  /** A {@link Validation} whose {@code errors} name {@code /password} and each broken rule. */
  static Validation passwordRejected(List<PasswordPolicy.Violation> violations) {
    JsonArray errors = new JsonArray();
    violations.forEach(violation -> errors.add(new JsonObject()
        .put("pointer", "/password").put("rule", violation.rule()).put("detail", violation.detail())));
    return new Validation("the password does not meet the policy: "
        + String.join("; ", violations.stream().map(PasswordPolicy.Violation::detail).toList()), errors);
  }

  private static Map<String, Boolean> booleans(JsonObject json) {
    Map<String, Boolean> values = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(entry -> values.put(entry.getKey(), Boolean.TRUE.equals(entry.getValue())));
    }
    return values;
  }
}
