package io.webstore.platform.config;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@code WEBSTORE_<SECTION>_<KEY>} environment variables into a nested config object: {@code
 * WEBSTORE_AWS_API_CALL_TIMEOUT_MS=500} becomes {@code {"aws": {"apiCallTimeoutMs": "500"}}}. Values stay strings;
 * {@link ConfigSection} converts and validates them.
 */
public final class EnvOverrides {

  /** Variables with the prefix that choose how config is loaded rather than being config values. */
  private static final String PROFILE_VARIABLE = "WEBSTORE_PROFILE";

  private EnvOverrides() {}

  public static JsonObject nest(Map<String, String> env, String prefix) {
    JsonObject root = new JsonObject();
    env.forEach((name, value) -> {
      if (!name.startsWith(prefix) || name.equals(PROFILE_VARIABLE)) {
        return;
      }
      String rest = name.substring(prefix.length());
      int split = rest.indexOf('_');
      if (split <= 0 || split == rest.length() - 1) {
        return;
      }
      String section = rest.substring(0, split).toLowerCase(Locale.ROOT);
      String key = camel(rest.substring(split + 1));
      JsonObject target = root.getJsonObject(section);
      if (target == null) {
        target = new JsonObject();
        root.put(section, target);
      }
      target.put(key, value);
    });
    return root;
  }

  /** The variable that sets {@code section.key}: {@code aws.apiCallTimeoutMs} → {@code WEBSTORE_AWS_API_CALL_TIMEOUT_MS}. */
  public static String variableFor(String section, String key) {
    return "WEBSTORE_" + section.toUpperCase(Locale.ROOT) + "_"
        + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static String camel(String upperSnake) {
    StringBuilder out = new StringBuilder();
    boolean upperNext = false;
    for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upperNext = true;
      } else {
        out.append(upperNext ? Character.toUpperCase(c) : c);
        upperNext = false;
      }
    }
    return out.toString();
  }
}
