package io.webstore.events;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.ConfigException;
import io.webstore.platform.events.EventDestination;
import io.webstore.platform.events.EventsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Builds the destinations the routing table names, each once, by name. A name this build does not have stops
 * start-up, naming it, rather than leaving events pending forever.
 */
final class Destinations {

  /** The names this build knows. */
  static final List<String> KNOWN = List.of(OmsQueue.NAME, KafkaTopic.NAME, EventBridgeDestination.NAME);

  private final Map<String, EventDestination> byName;
  private final List<KafkaTopic> closeable;

  private Destinations(Map<String, EventDestination> byName, List<KafkaTopic> closeable) {
    this.byName = byName;
    this.closeable = closeable;
  }

  /** {@code around} wraps each destination (tests inject faults there; production passes the identity). */
  static Destinations build(Services services, EventsConfig events, UnaryOperator<EventDestination> around) {
    Map<String, EventDestination> byName = new LinkedHashMap<>();
    List<KafkaTopic> closeable = new ArrayList<>();
    for (String name : events.destinations()) {
      EventDestination destination = switch (name) {
        case OmsQueue.NAME -> new OmsQueue(services.vertx(), services.aws().sqs(),
            services.config().sqs().orderQueue(), services.meters());
        case KafkaTopic.NAME -> {
          KafkaTopic topic = new KafkaTopic(services.vertx(), services.config().kafka().bootstrapServers(),
              events.kafkaTopic(), events.kafkaTimeout());
          closeable.add(topic);
          yield topic;
        }
        case EventBridgeDestination.NAME -> EventBridgeDestination.create(services);
        default -> throw new ConfigException("events.routes names the destination " + name
            + ", which this build does not have (known: " + String.join(", ", KNOWN) + ")");
      };
      byName.put(name, around.apply(destination));
    }
    return new Destinations(Map.copyOf(byName), List.copyOf(closeable));
  }

  EventDestination get(String name) {
    return byName.get(name);
  }

  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  Future<Void> close() {
    return Future.join(closeable.stream().map(KafkaTopic::close).toList()).mapEmpty();
  }
}
