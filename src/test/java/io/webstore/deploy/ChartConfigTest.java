package io.webstore.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.deploy.ChartRendering.Manifests;
import io.webstore.platform.config.EnvOverrides;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config key the store reads (found in conf/ and src/main by {@link ChartConfigKeys}) can be set through the
 * chart's values: through {@code config.<section>.<key>}, or, for the few the chart owns, through its own values.
 * The rendered environment is read back with the store's own {@link EnvOverrides}.
 */
class ChartConfigTest {

  /** Keys the chart sets itself (the ports its probes, Service and Ingress use; the shutdown timing): value -> expected. */
  static final Map<String, Map.Entry<String, String>> OWNED = Map.of(
      "http.port", Map.entry("ports.http=8181", "8181"),
      "http.host", Map.entry("", "0.0.0.0"),
      "http.shutdownGraceMs", Map.entry("shutdown.graceSeconds=7", "7000"),
      "http.drainTimeoutMs", Map.entry("shutdown.drainSeconds=9", "9000"),
      "management.enabled", Map.entry("", "true"),
      "management.port", Map.entry("ports.management=9191", "9191"),
      "management.host", Map.entry("", "0.0.0.0"));

  static Map<String, Set<String>> keys;
  static JsonObject conf;

  @BeforeAll
  static void deriveKeys() throws IOException {
    keys = ChartConfigKeys.all(Path.of(""));
    conf = new JsonObject(Files.readString(Path.of("conf/application.json")))
        .mergeIn(new JsonObject(Files.readString(Path.of("conf/dev.json"))), true);
  }

  @Test
  void theKeysAreFoundInTheCode() {
    // the scan sees reads from the platform's record, a feature's settings, a from(ConfigSection) parameter and a
    // chained read; and every key of conf/application.json is read somewhere
    assertThat(keys.get("aws")).contains("apiCallTimeoutMs", "dynamodbEndpoint");
    assertThat(keys.get("catalog")).contains("localTtlSeconds");
    assertThat(keys.get("inventory")).contains("holdTtlSeconds");
    assertThat(keys.get("customer")).contains("hashingThreads");
    assertThat(keys.get("features")).contains("disabled");
    assertThat(keys.get("http")).contains("rateLimitTimeoutMs", "maxHeaderCount");
    Map<String, Set<String>> codeOnly = ChartConfigKeys.fromCode(Path.of("src/main/java"), new LinkedHashMap<>());
    new JsonObject(read("conf/application.json")).forEach(section -> assertThat(codeOnly.get(section.getKey()))
        .as("keys of conf/application.json read by src/main, section %s", section.getKey())
        .containsAll(((JsonObject) section.getValue()).fieldNames()));
  }

  @Test
  void everyKeyTheStoreReadsCanBeSetThroughValues(@TempDir Path dir) throws IOException {
    JsonObject config = new JsonObject();
    Map<String, String> expected = new LinkedHashMap<>();
    Map<String, String> sets = new LinkedHashMap<>();
    keys.forEach((section, names) -> names.forEach(key -> {
      String path = section + "." + key;
      if (OWNED.containsKey(path)) {
        Map.Entry<String, String> owned = OWNED.get(path);
        if (!owned.getKey().isEmpty()) {
          String[] set = owned.getKey().split("=", 2);
          sets.put(set[0], set[1]);
        }
        expected.put(path, owned.getValue());
        return;
      }
      Object sample = sample(section, key);
      JsonObject values = config.getJsonObject(section);
      if (values == null) {
        config.put(section, values = new JsonObject());
      }
      values.put(key, sample);
      expected.put(path, sample instanceof JsonArray list
          ? list.stream().map(String::valueOf).collect(Collectors.joining(",")) : String.valueOf(sample));
    }));
    // a values file, not --set: YAML numbers reach the templates as floats, the way an operator's values do
    Path valuesFile = dir.resolve("every-key.yaml");
    Files.writeString(valuesFile, new JsonObject().put("config", config).encodePrettily());

    Manifests install = ChartRendering.render(List.of(valuesFile), sets);
    JsonObject seen = EnvOverrides.nest(install.environment(), "WEBSTORE_");

    List<String> missing = new ArrayList<>();
    expected.forEach((path, value) -> {
      String[] parts = path.split("\\.", 2);
      JsonObject section = seen.getJsonObject(parts[0]);
      Object got = section == null ? null : section.getValue(parts[1]);
      if (!value.equals(got)) {
        missing.add(path + " expected " + value + " got " + got);
      }
    });
    assertThat(missing).as("keys the values did not set as the store reads them").isEmpty();
    assertThat(expected).hasSizeGreaterThan(60);
  }

  @Test
  void theChartOwnsOnlyKeysTheStoreReads() {
    OWNED.keySet().forEach(path -> {
      String[] parts = path.split("\\.", 2);
      assertThat(keys.get(parts[0])).as(path).contains(parts[1]);
    });
  }

  /** A value unlike the default: numbers well past a float's exact-print range, lists of two, flipped booleans. */
  private static Object sample(String section, String key) {
    Object current = conf.getJsonObject(section, new JsonObject()).getValue(key);
    if (current instanceof Boolean b) {
      return !b;
    }
    if (current instanceof Number n) {
      return n.longValue() * 1000 + 7;
    }
    if (current instanceof JsonArray) {
      return new JsonArray().add("first-" + key).add("second-" + key);
    }
    if (current instanceof JsonObject) {
      return new JsonObject().put("sample-" + key, new JsonArray().add("first").add("second"));
    }
    return "sample-" + section + "-" + key;
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
