package io.webstore.platform.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The settings that may change while the store runs, read from the watched {@code runtime.file}: rate limits, fraud
 * thresholds, and the flags' cache TTL and defaults. Everything else in config needs a restart. Validated as a whole: a
 * file with one bad or unknown key is rejected (the message names it), so a typo never half-applies.
 *
 * @param rateLimits limits per API client
 * @param fraud      score thresholds of the fraud check
 * @param flags      how feature flags are cached, and their values when a flag is not in the flags table
 */
public record RuntimeSettings(RateLimits rateLimits, Fraud fraud, Flags flags) {

  /** Same rule as a flag's name in openapi.yaml. */
  private static final Pattern FLAG_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{1,63}$");

  /**
   * Token-bucket limits (a bucket holds the number given and refills at that rate). A client is its address (from the
   * trusted proxy header when configured), an account its email (login) or customer id (checkout).
   *
   * @param perClientPerSecond            requests one client may make per second, on every API route
   * @param signUpsPerClientPerMinute     sign-ups from one client
   * @param loginsPerClientPerMinute      login attempts from one client
   * @param loginsPerAccountPerMinute     login attempts for one email
   * @param failedLoginsPerClientPerHour  failed logins from one client, before every login from it is refused
   * @param failedLoginsPerAccountPerHour failed logins for one email, before every login for it is refused
   * @param checkoutsPerAccountPerMinute  checkouts by one customer
   */
  public record RateLimits(int perClientPerSecond, int signUpsPerClientPerMinute, int loginsPerClientPerMinute,
      int loginsPerAccountPerMinute, int failedLoginsPerClientPerHour, int failedLoginsPerAccountPerHour,
      int checkoutsPerAccountPerMinute) {

    /** Defaults of the keys a runtime file may leave out (all but {@code perClientPerSecond}). */
    static final Map<String, Integer> DEFAULTS = defaults();

    private static Map<String, Integer> defaults() {
      Map<String, Integer> defaults = new LinkedHashMap<>();
      defaults.put("signUpsPerClientPerMinute", 20);
      defaults.put("loginsPerClientPerMinute", 60);
      defaults.put("loginsPerAccountPerMinute", 20);
      defaults.put("failedLoginsPerClientPerHour", 100);
      defaults.put("failedLoginsPerAccountPerHour", 10);
      defaults.put("checkoutsPerAccountPerMinute", 20);
      return Collections.unmodifiableMap(defaults);
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("perClientPerSecond", perClientPerSecond)
          .put("signUpsPerClientPerMinute", signUpsPerClientPerMinute)
          .put("loginsPerClientPerMinute", loginsPerClientPerMinute)
          .put("loginsPerAccountPerMinute", loginsPerAccountPerMinute)
          .put("failedLoginsPerClientPerHour", failedLoginsPerClientPerHour)
          .put("failedLoginsPerAccountPerHour", failedLoginsPerAccountPerHour)
          .put("checkoutsPerAccountPerMinute", checkoutsPerAccountPerMinute);
    }
  }

  /**
   * Orders and logins scoring at or above {@code reviewScore} (per mille) are held for review, at or above {@code
   * rejectScore} refused; {@code reviewScore < rejectScore}. {@code models} holds the local scorer's logistic model
   * per event ({@code login}, {@code payment}); an event without one is scored with the fraud feature's built-in
   * weights.
   */
  public record Fraud(int reviewScore, int rejectScore, Map<String, FraudModel> models) {
    public Fraud {
      models = Collections.unmodifiableMap(new TreeMap<>(models));
    }

    public Fraud(int reviewScore, int rejectScore) {
      this(reviewScore, rejectScore, Map.of());
    }
  }

  /**
   * A logistic model: {@code score = 1 / (1 + exp(-(bias + sum(weights[f] * feature[f]))))}.
   *
   * @param bias    the intercept
   * @param weights weight by feature name; a feature not named weighs nothing
   */
  public record FraudModel(double bias, Map<String, Double> weights) {
    public FraudModel {
      weights = Collections.unmodifiableMap(new TreeMap<>(weights));
    }

    JsonObject toJson() {
      JsonObject named = new JsonObject();
      weights.forEach(named::put);
      return new JsonObject().put("bias", bias).put("weights", named);
    }
  }

  /** The events the fraud feature scores, and so the models the runtime file may hold. */
  static final Set<String> FRAUD_EVENTS = Set.of("login", "payment");
  /** Same rule as a fraud feature's name: lower-case words joined by underscores. */
  private static final Pattern WEIGHT_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
  private static final double WEIGHT_LIMIT = 1000;

  /**
   * @param cacheTtl how long an instance may serve flags from its cache (the staleness bound on other instances)
   * @param defaults value of each flag that has no row in the flags table, by flag name
   */
  public record Flags(Duration cacheTtl, Map<String, Boolean> defaults) {
    public Flags {
      defaults = Collections.unmodifiableMap(new TreeMap<>(defaults));
    }
  }

  public RuntimeSettings {
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(fraud, "fraud");
    Objects.requireNonNull(flags, "flags");
  }

  /**
   * Validates the file's content. {@code source} names the file in messages ({@code fraud.reviewScore must be ...;
   * set it in conf/runtime.json}).
   *
   * @throws ConfigException naming the first bad, missing or unknown key
   */
  public static RuntimeSettings from(JsonObject json, String source) {
    Reader reader = new Reader(source);
    reader.onlyKnown(json, "", Set.of("rateLimits", "fraud", "flags"));

    JsonObject rateLimits = reader.object(json, "rateLimits");
    Set<String> limitKeys = new java.util.HashSet<>(RateLimits.DEFAULTS.keySet());
    limitKeys.add("perClientPerSecond");
    reader.onlyKnown(rateLimits, "rateLimits.", limitKeys);
    Map<String, Integer> limit = new LinkedHashMap<>();
    RateLimits.DEFAULTS.forEach((key, fallback) -> limit.put(key, rateLimits.getValue(key) == null ? fallback
        : reader.integer(rateLimits, "rateLimits." + key, 1, 1_000_000)));
    RateLimits rateLimitSettings = new RateLimits(
        reader.integer(rateLimits, "rateLimits.perClientPerSecond", 1, 100_000),
        limit.get("signUpsPerClientPerMinute"), limit.get("loginsPerClientPerMinute"),
        limit.get("loginsPerAccountPerMinute"), limit.get("failedLoginsPerClientPerHour"),
        limit.get("failedLoginsPerAccountPerHour"), limit.get("checkoutsPerAccountPerMinute"));

    JsonObject fraud = reader.object(json, "fraud");
    reader.onlyKnown(fraud, "fraud.", Set.of("reviewScore", "rejectScore", "models"));
    int review = reader.integer(fraud, "fraud.reviewScore", 0, 1000);
    int reject = reader.integer(fraud, "fraud.rejectScore", 0, 1000);
    if (review >= reject) {
      throw reader.bad("fraud.reviewScore", "below fraud.rejectScore (" + reject + ")", review);
    }
    Map<String, FraudModel> models = new TreeMap<>();
    if (fraud.getValue("models") != null) {
      JsonObject modelsJson = reader.object(fraud, "models");
      reader.onlyKnown(modelsJson, "fraud.models.", FRAUD_EVENTS);
      for (String event : modelsJson.fieldNames()) {
        String path = "fraud.models." + event;
        JsonObject model = reader.object(modelsJson, event, path);
        reader.onlyKnown(model, path + ".", Set.of("bias", "weights"));
        double bias = reader.number(model, path + ".bias", -WEIGHT_LIMIT, WEIGHT_LIMIT);
        JsonObject weightsJson = reader.object(model, "weights", path + ".weights");
        Map<String, Double> weights = new TreeMap<>();
        for (String name : weightsJson.fieldNames()) {
          String key = path + ".weights." + name;
          if (!WEIGHT_NAME.matcher(name).matches()) {
            throw reader.bad(key, "named like a fraud feature (" + WEIGHT_NAME.pattern() + ")", name);
          }
          weights.put(name, reader.number(weightsJson, key, -WEIGHT_LIMIT, WEIGHT_LIMIT));
        }
        models.put(event, new FraudModel(bias, weights));
      }
    }

    JsonObject flags = reader.object(json, "flags");
    reader.onlyKnown(flags, "flags.", Set.of("cacheTtlMs", "defaults"));
    Duration cacheTtl = Duration.ofMillis(reader.integer(flags, "flags.cacheTtlMs", 100, 300_000));
    Map<String, Boolean> defaults = new TreeMap<>();
    Object rawDefaults = flags.getValue("defaults");
    if (rawDefaults != null) {
      if (!(rawDefaults instanceof JsonObject defaultsJson)) {
        throw reader.bad("flags.defaults", "an object of flag name to true or false", rawDefaults);
      }
      for (String name : defaultsJson.fieldNames()) {
        String key = "flags.defaults." + name;
        if (!FLAG_NAME.matcher(name).matches()) {
          throw reader.bad(key, "named like a flag (" + FLAG_NAME.pattern() + ")", name);
        }
        if (!(defaultsJson.getValue(name) instanceof Boolean value)) {
          throw reader.bad(key, "true or false", defaultsJson.getValue(name));
        }
        defaults.put(name, value);
      }
    }
    return new RuntimeSettings(rateLimitSettings, new Fraud(review, reject, models), new Flags(cacheTtl, defaults));
  }

  /** Reads settings as sent on {@code config.changed} and {@code config.runtime} (already validated at the source). */
  public static RuntimeSettings fromJson(JsonObject json) {
    return from(json, "the runtime settings");
  }

  /** The same shape as the file, with every value spelled out. */
  public JsonObject toJson() {
    JsonObject defaults = new JsonObject();
    flags.defaults().forEach(defaults::put);
    return new JsonObject()
        .put("rateLimits", rateLimits.toJson())
        .put("fraud", fraudJson())
        .put("flags", new JsonObject()
            .put("cacheTtlMs", flags.cacheTtl().toMillis())
            .put("defaults", defaults));
  }

  private JsonObject fraudJson() {
    JsonObject json = new JsonObject()
        .put("reviewScore", fraud.reviewScore())
        .put("rejectScore", fraud.rejectScore());
    if (!fraud.models().isEmpty()) {
      JsonObject models = new JsonObject();
      fraud.models().forEach((event, model) -> models.put(event, model.toJson()));
      json.put("models", models);
    }
    return json;
  }

  /** Dotted keys whose value differs from {@code previous} ({@code fraud.reviewScore}, {@code flags.defaults.x}). */
  public List<String> changedKeys(RuntimeSettings previous) {
    Map<String, Object> before = flatten(previous.toJson(), "", new LinkedHashMap<>());
    Map<String, Object> after = flatten(toJson(), "", new LinkedHashMap<>());
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<String> changed = new ArrayList<>();
    for (String key : keys) {
      if (!Objects.equals(before.get(key), after.get(key))) {
        changed.add(key);
      }
    }
    return changed;
  }

  private static Map<String, Object> flatten(JsonObject json, String prefix, Map<String, Object> into) {
    for (String name : json.fieldNames()) {
      Object value = json.getValue(name);
      if (value instanceof JsonObject nested) {
        flatten(nested, prefix + name + ".", into);
      } else {
        into.put(prefix + name, value);
      }
    }
    return into;
  }

  /** Typed reads with the same message style as {@link ConfigSection}, pointing at the runtime file. */
  private record Reader(String source) {

    JsonObject object(JsonObject parent, String key) {
      Object raw = parent.getValue(key);
      if (raw == null) {
        throw new ConfigException(key + " is missing; set it in " + source);
      }
      if (!(raw instanceof JsonObject object)) {
        throw bad(key, "an object", raw);
      }
      return object;
    }

    JsonObject object(JsonObject parent, String key, String path) {
      Object raw = parent.getValue(key);
      if (raw == null) {
        throw new ConfigException(path + " is missing; set it in " + source);
      }
      if (!(raw instanceof JsonObject object)) {
        throw bad(path, "an object", raw);
      }
      return object;
    }

    double number(JsonObject parent, String path, double min, double max) {
      String key = path.substring(path.lastIndexOf('.') + 1);
      Object raw = parent.getValue(key);
      if (raw == null) {
        throw new ConfigException(path + " is missing; set it in " + source);
      }
      if (!(raw instanceof Number number) || !Double.isFinite(number.doubleValue())
          || number.doubleValue() < min || number.doubleValue() > max) {
        throw bad(path, "a number in [" + min + ", " + max + "]", raw);
      }
      return number.doubleValue();
    }

    int integer(JsonObject parent, String path, int min, int max) {
      String key = path.substring(path.lastIndexOf('.') + 1);
      Object raw = parent.getValue(key);
      if (raw == null) {
        throw new ConfigException(path + " is missing; set it in " + source);
      }
      // JSON numbers only: a quoted "50" is a typo in a hand-edited file, not an environment variable
      if (!(raw instanceof Integer || raw instanceof Long)) {
        throw bad(path, "an integer in [" + min + ", " + max + "]", raw);
      }
      long value = ((Number) raw).longValue();
      if (value < min || value > max) {
        throw bad(path, "an integer in [" + min + ", " + max + "]", raw);
      }
      return (int) value;
    }

    void onlyKnown(JsonObject object, String prefix, Set<String> known) {
      for (String name : object.fieldNames()) {
        if (!known.contains(name)) {
          throw new ConfigException(prefix + name + " is not a runtime setting (known here: "
              + String.join(", ", new TreeSet<>(known)) + "); fix it in " + source);
        }
      }
    }

    ConfigException bad(String path, String expected, Object got) {
      return new ConfigException(path + " must be " + expected + " (got " + got + "; set it in " + source + ")");
    }
  }
}
