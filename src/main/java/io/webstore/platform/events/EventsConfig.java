package io.webstore.platform.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code events} section: the outbox relay, its routing table (event type → destination names), the order
 * status queue from the order management system and the Kafka topic. Every key is documented in the README
 * ("Events out").
 *
 * @param routes destination names per event type; a type that is not listed stays inside the process
 * @param outboxTables the tables whose items carry an outbox (logical name → the key prefix of a subject's item)
 */
public record EventsConfig(
    boolean relayEnabled,
    Duration pollInterval,
    int batchSize,
    Duration lease,
    int maxAttempts,
    Duration lagLogInterval,
    Map<String, List<String>> routes,
    Map<String, String> outboxTables,
    String kafkaTopic,
    Duration kafkaTimeout,
    boolean statusConsumerEnabled,
    String statusQueue,
    int statusMaxReceives,
    Duration statusVisibility) {

  public static EventsConfig from(WebstoreConfig config) {
    ConfigSection events = config.section("events");
    return new EventsConfig(
        events.boolOrDefault("relayEnabled", true),
        Duration.ofMillis(events.integerOrDefault("pollIntervalMs", 250, 10, 60_000)),
        events.integerOrDefault("batchSize", 25, 1, 100),
        Duration.ofMillis(events.integerOrDefault("leaseMs", 30_000, 100, 600_000)),
        events.integerOrDefault("maxAttempts", 8, 1, 100),
        Duration.ofMillis(events.integerOrDefault("lagLogIntervalMs", 60_000, 100, 3_600_000)),
        routes(events.optionalObject("routes").orElse(null)),
        tables(events.optionalObject("outboxTables").orElse(null)),
        events.stringOrDefault("kafkaTopic", "webstore.events"),
        Duration.ofMillis(events.integerOrDefault("kafkaTimeoutMs", 5_000, 100, 120_000)),
        events.boolOrDefault("statusConsumerEnabled", true),
        events.stringOrDefault("statusQueue", "webstore-order-status.fifo"),
        events.integerOrDefault("statusMaxReceives", 5, 1, 1_000),
        Duration.ofMillis(events.integerOrDefault("statusVisibilityMs", 30_000, 1_000, 43_200_000)));
  }

  /** The destinations of {@code type}, in the order of the table (none when the type is not routed). */
  public List<String> destinationsOf(String type) {
    return routes.getOrDefault(type, List.of());
  }

  /** Every destination name the routing table uses. */
  public List<String> destinations() {
    return routes.values().stream().flatMap(List::stream).distinct().toList();
  }

  /** The dead-letter queue of the status queue: {@code <name>-dlq.fifo}. */
  public String statusDeadLetterQueue() {
    return statusQueue.replace(".fifo", "-dlq.fifo");
  }

  private static Map<String, List<String>> routes(Object raw) {
    if (raw == null) {
      return Map.of();
    }
    if (!(raw instanceof JsonObject table)) {
      throw new ConfigException("events.routes must be an object of event type to destination names (got " + raw
          + ")");
    }
    Map<String, List<String>> routes = new LinkedHashMap<>();
    for (String type : table.fieldNames()) {
      if (EventType.of(type).isEmpty()) {
        throw new ConfigException("events.routes names an unknown event type " + type);
      }
      if (!(table.getValue(type) instanceof JsonArray names)) {
        throw new ConfigException("events.routes." + type + " must be an array of destination names");
      }
      List<String> destinations = new ArrayList<>();
      names.forEach(name -> destinations.add(String.valueOf(name).trim()));
      routes.put(type, List.copyOf(destinations));
    }
    return Map.copyOf(routes);
  }

  private static Map<String, String> tables(Object raw) {
    if (raw == null) {
      return Map.of("orders", "", "customers", "customer#");
    }
    if (!(raw instanceof JsonObject tables)) {
      throw new ConfigException("events.outboxTables must be an object of table name to key prefix (got " + raw + ")");
    }
    Map<String, String> byName = new LinkedHashMap<>();
    tables.fieldNames().forEach(name -> byName.put(name, String.valueOf(tables.getValue(name))));
    return Map.copyOf(byName);
  }
}
