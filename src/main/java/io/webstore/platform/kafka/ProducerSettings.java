package io.webstore.platform.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The settings of the store's Kafka producers: idempotent, every in-sync replica acknowledges, bounded in time. */
public final class ProducerSettings {

  private ProducerSettings() {}

  /**
   * An idempotent producer ({@code acks=all}, at most 5 requests in flight, the most that keeps order with
   * idempotence) whose send is acknowledged or failed within {@code timeout}.
   *
   * @param serializer the key's and value's serializer class
   */
  public static Map<String, String> idempotent(String bootstrapServers, Duration timeout, String serializer) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("key.serializer", serializer);
    config.put("value.serializer", serializer);
    config.put("enable.idempotence", "true");
    config.put("acks", "all");
    config.put("max.in.flight.requests.per.connection", "5");
    config.put("linger.ms", "5");
    long millis = timeout.toMillis();
    config.put("delivery.timeout.ms", Long.toString(millis));
    config.put("request.timeout.ms", Long.toString(Math.max(100, millis / 2 - 10)));
    config.put("max.block.ms", Long.toString(Math.max(100, millis / 2)));
    return config;
  }
}
