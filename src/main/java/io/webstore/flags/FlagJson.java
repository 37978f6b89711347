package io.webstore.flags;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The JSON forms of flags, shared by the event-bus messages and the HTTP bodies (see openapi.yaml). */
final class FlagJson {

  private FlagJson() {}

  static JsonObject toJson(Flag flag) {
    JsonObject json = new JsonObject()
        .put("name", flag.name())
        .put("enabled", flag.enabled())
        .put("percentage", flag.percentage());
    flag.description().ifPresent(text -> json.put("description", text));
    return json
        .put("version", flag.version())
        .put("updated_at", flag.updatedAt().toString())
        .put("updated_by", flag.updatedBy());
  }

  static Flag fromJson(JsonObject json) {
    return new Flag(json.getString("name"), json.getBoolean("enabled"), json.getInteger("percentage"),
        Optional.ofNullable(json.getString("description")), json.getLong("version"),
        Instant.parse(json.getString("updated_at")), json.getString("updated_by"));
  }

  /** An admin's change; checked here too, since callers on the bus skip the HTTP schema. */
  static FlagChange change(JsonObject json) {
    if (!(json.getValue("enabled") instanceof Boolean enabled)) {
      throw Validation.of("/enabled", "enabled must be true or false");
    }
    if (!(json.getValue("percentage") instanceof Integer percentage)) {
      throw Validation.of("/percentage", "percentage must be an integer in 0..100");
    }
    Object description = json.getValue("description");
    if (description != null && !(description instanceof String)) {
      throw Validation.of("/description", "description must be a string");
    }
    return new FlagChange(enabled, percentage, Optional.ofNullable((String) description));
  }

  static JsonObject changeToJson(FlagChange change) {
    JsonObject json = new JsonObject().put("enabled", change.enabled()).put("percentage", change.percentage());
    change.description().ifPresent(text -> json.put("description", text));
    return json;
  }

  /** {@code {"flags": {name: bool}}}: one caller's evaluated flags. */
  static JsonObject evaluation(Map<String, Boolean> values) {
    return new JsonObject().put("flags", values(values));
  }

  static JsonObject values(Map<String, Boolean> values) {
    JsonObject json = new JsonObject();
    new TreeMap<>(values).forEach(json::put);
    return json;
  }

  static Map<String, Boolean> valuesFromJson(JsonObject json) {
    Map<String, Boolean> values = new TreeMap<>();
    json.forEach(entry -> values.put(entry.getKey(), (Boolean) entry.getValue()));
    return values;
  }

  static JsonObject listing(FlagListing listing) {
    JsonArray flags = new JsonArray();
    listing.flags().forEach(flag -> flags.add(toJson(flag)));
    return new JsonObject().put("flags", flags).put("defaults", values(listing.defaults()));
  }

  static FlagListing listingFromJson(JsonObject json) {
    List<Flag> flags = new ArrayList<>();
    json.getJsonArray("flags").forEach(flag -> flags.add(fromJson((JsonObject) flag)));
    return new FlagListing(flags, valuesFromJson(json.getJsonObject("defaults")));
  }
}
