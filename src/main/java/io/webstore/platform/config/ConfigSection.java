package io.webstore.platform.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed, validated reads of one config section ({@code WebstoreConfig.section("cart")} for a feature's own keys; the
 * {@code ...OrDefault} forms take the default in code, so a feature's section may be absent from conf/). Values from environment variables arrive as strings, so numbers and
 * booleans are accepted in either form; every failure names the key and the variable that sets it.
 */
public final class ConfigSection {

  private final String section;
  private final JsonObject values;

  ConfigSection(JsonObject root, String section) {
    this.section = section;
    Object raw = root.getValue(section);
    if (raw != null && !(raw instanceof JsonObject)) {
      throw new ConfigException(section + " must be an object (got " + raw + ")");
    }
    this.values = raw == null ? new JsonObject() : (JsonObject) raw;
  }

  public int integer(String key, int min, int max) {
    Object raw = required(key);
    try {
      long value = raw instanceof Number n && !(raw instanceof Double || raw instanceof Float)
          ? n.longValue() : Long.parseLong(raw.toString().trim());
      if (value < min || value > max) {
        throw bad(key, "an integer in [" + min + ", " + max + "]", raw);
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw bad(key, "an integer in [" + min + ", " + max + "]", raw);
    }
  }

  public boolean bool(String key) {
    Object raw = required(key);
    if (raw instanceof Boolean b) {
      return b;
    }
    String text = raw.toString().trim().toLowerCase(Locale.ROOT);
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw bad(key, "true or false", raw);
  }

  public String string(String key) {
    String value = required(key).toString().trim();
    if (value.isEmpty()) {
      throw bad(key, "a non-empty string", "");
    }
    return value;
  }

  public String oneOf(String key, String... allowed) {
    String value = string(key);
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw bad(key, "one of " + String.join(", ", allowed), value);
  }

  /** {@link #oneOf} when the key is set (not blank), else {@code defaultValue}. */
  public String oneOfOrDefault(String key, String defaultValue, String... allowed) {
    return optionalString(key).isPresent() ? oneOf(key, allowed) : defaultValue;
  }

  public Optional<String> optionalString(String key) {
    Object raw = values.getValue(key);
    if (raw == null || raw.toString().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(raw.toString().trim());
  }

  /**
   * An object given as JSON, or as a string holding a JSON object (the form an environment variable takes:
   * {@code WEBSTORE_EVENTS_ROUTES='{"webstore.order.placed": ["oms"]}'}).
   */
  public Optional<JsonObject> optionalObject(String key) {
    Object raw = values.getValue(key);
    if (raw == null) {
      return Optional.empty();
    }
    if (raw instanceof JsonObject object) {
      return Optional.of(object);
    }
    try {
      return Optional.of(new JsonObject(raw.toString()));
    } catch (RuntimeException notAnObject) {
      throw bad(key, "a JSON object", raw);
    }
  }

  public Optional<URI> optionalUri(String key) {
    return optionalString(key).map(text -> {
      try {
        URI uri = new URI(text);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw bad(key, "an absolute URI such as http://127.0.0.1:8000", text);
        }
        return uri;
      } catch (URISyntaxException e) {
        throw bad(key, "an absolute URI such as http://127.0.0.1:8000", text);
      }
    });
  }

  /** A list given as a JSON array or as a comma-separated string (the form an environment variable takes). */
  public List<String> stringList(String key) {
    Object raw = required(key);
    List<String> items = new ArrayList<>();
    if (raw instanceof JsonArray array) {
      array.forEach(item -> items.add(String.valueOf(item).trim()));
    } else {
      for (String part : raw.toString().split(",")) {
        if (!part.isBlank()) {
          items.add(part.trim());
        }
      }
    }
    return List.copyOf(items);
  }

  public int integerOrDefault(String key, int defaultValue, int min, int max) {
    return values.getValue(key) == null ? defaultValue : integer(key, min, max);
  }

  public boolean boolOrDefault(String key, boolean defaultValue) {
    return values.getValue(key) == null ? defaultValue : bool(key);
  }

  public String stringOrDefault(String key, String defaultValue) {
    return values.getValue(key) == null ? defaultValue : string(key);
  }

  private Object required(String key) {
    Object raw = values.getValue(key);
    if (raw == null) {
      throw new ConfigException(path(key) + " is missing; set it in conf/ or " + envName(key));
    }
    return raw;
  }

  private ConfigException bad(String key, String expected, Object got) {
    return new ConfigException(path(key) + " must be " + expected + " (got " + got + "; set it in conf/ or "
        + envName(key) + ")");
  }

  private String path(String key) {
    return section + "." + key;
  }

  public String envName(String key) {
    return EnvOverrides.variableFor(section, key);
  }
}
