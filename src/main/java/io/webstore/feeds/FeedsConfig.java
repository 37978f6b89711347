package io.webstore.feeds;

import io.vertx.core.json.JsonObject;
import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code feeds} section: which topics the store consumes and how. Every key is documented in the README ("Feeds
 * in"); the brokers are the {@code kafka} section's.
 *
 * @param enabled whether this process consumes any feed (each topic can be turned off on its own in {@code topics})
 * @param batchSize records taken from the broker at once ({@code max.poll.records}), the unit of commit
 * @param chunkSize records sent to the owning feature in one request (at most 1000, the feed contract's bound)
 * @param pollTimeout how long one poll waits for records
 * @param sendTimeout how long the owning feature may take to answer one chunk before it is sent again
 * @param retryFirstBackoff the first wait before a chunk or dead letter is sent again, doubling up to {@code
 *     retryMaxBackoff}; a batch is retried until it is through, never skipped
 * @param deadLetterTimeout the bound on one dead-letter write ({@code delivery.timeout.ms})
 * @param lagInterval how often the consumer lag per partition is measured
 * @param topics the topics by logical name, in a fixed order
 */
record FeedsConfig(boolean enabled, int batchSize, int chunkSize, Duration pollTimeout, Duration sendTimeout,
    Duration retryFirstBackoff, Duration retryMaxBackoff, Duration deadLetterTimeout, Duration lagInterval,
    List<Topic> topics) {

  /** The topics the store knows, by logical name. */
  static final List<String> NAMES = List.of("pim.products", "supply.inventory", "supply.order-status");

  /**
   * One topic: its logical name (the JSON Schema is {@code feeds/<name>.json}), the Kafka topic it is read from, the
   * consumer group that reads it, and whether it is read at all. The dead-letter topic is {@code <topic>.dlq}.
   */
  record Topic(String name, boolean enabled, String topic, String group) {
    String deadLetterTopic() {
      return topic + ".dlq";
    }
  }

  static FeedsConfig from(WebstoreConfig config) {
    ConfigSection feeds = config.section("feeds");
    return new FeedsConfig(
        feeds.boolOrDefault("enabled", false),
        feeds.integerOrDefault("batchSize", 500, 1, 10_000),
        feeds.integerOrDefault("chunkSize", 500, 1, 1_000),
        Duration.ofMillis(feeds.integerOrDefault("pollTimeoutMs", 500, 10, 60_000)),
        Duration.ofMillis(feeds.integerOrDefault("sendTimeoutMs", 30_000, 100, 600_000)),
        Duration.ofMillis(feeds.integerOrDefault("retryFirstBackoffMs", 100, 1, 60_000)),
        Duration.ofMillis(feeds.integerOrDefault("retryMaxBackoffMs", 5_000, 1, 600_000)),
        Duration.ofMillis(feeds.integerOrDefault("deadLetterTimeoutMs", 10_000, 1_000, 600_000)),
        Duration.ofMillis(feeds.integerOrDefault("lagIntervalMs", 5_000, 100, 3_600_000)),
        topics(feeds.optionalObject("topics").orElse(new JsonObject())));
  }

  List<Topic> enabledTopics() {
    return topics.stream().filter(Topic::enabled).toList();
  }

  /** {@code feeds.topics}: per logical name, {@code enabled}, {@code topic} and {@code group}, each defaulted. */
  private static List<Topic> topics(JsonObject raw) {
    Set<String> unknown = new java.util.TreeSet<>(raw.fieldNames());
    NAMES.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new ConfigException("feeds.topics names unknown topics " + unknown + " (known: " + NAMES + ")");
    }
    List<Topic> topics = new ArrayList<>();
    for (String name : NAMES) {
      Object value = raw.getValue(name);
      if (value != null && !(value instanceof JsonObject)) {
        throw new ConfigException("feeds.topics." + name + " must be an object (got " + value + ")");
      }
      JsonObject topic = value == null ? new JsonObject() : (JsonObject) value;
      topics.add(new Topic(name,
          flag(topic, name, "enabled"),
          text(topic, name, "topic", name),
          text(topic, name, "group", "webstore-feed-" + name)));
    }
    return List.copyOf(topics);
  }

  private static boolean flag(JsonObject topic, String name, String key) {
    Object raw = topic.getValue(key);
    if (raw == null) {
      return true;
    }
    String text = raw.toString().trim().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw new ConfigException("feeds.topics." + name + "." + key + " must be true or false (got " + raw + ")");
    }
    return Boolean.parseBoolean(text);
  }

  private static String text(JsonObject topic, String name, String key, String otherwise) {
    Object raw = topic.getValue(key);
    if (raw == null) {
      return otherwise;
    }
    if (!(raw instanceof String value) || value.isBlank()) {
      throw new ConfigException("feeds.topics." + name + "." + key + " must be a non-empty string (got " + raw
          + ")");
    }
    return value.trim();
  }
}
