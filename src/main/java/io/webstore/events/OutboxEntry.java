package io.webstore.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One entry of an item's outbox (shape in {@link io.webstore.platform.events.Outbox}), with its place in the list.
 *
 * @param event the CloudEvent in JSON; empty for an entry written before events had an envelope
 */
record OutboxEntry(int index, String id, String type, String subject, Optional<Instant> time, Optional<String> event,
    Map<String, DeliveryState> deliveries) {

  DeliveryState state(String destination) {
    return deliveries.getOrDefault(destination, DeliveryState.NEW);
  }

  static List<OutboxEntry> of(Map<String, AttributeValue> item) {
    AttributeValue outbox = item.get(io.webstore.platform.events.Outbox.EVENTS);
    List<OutboxEntry> entries = new ArrayList<>();
    if (outbox == null || !outbox.hasL()) {
      return entries;
    }
    for (int index = 0; index < outbox.l().size(); index++) {
      Map<String, AttributeValue> entry = outbox.l().get(index).m();
      Map<String, DeliveryState> deliveries = new HashMap<>();
      AttributeValue stored = entry.get("deliveries");
      if (stored != null && stored.hasM()) {
        stored.m().forEach((name, state) -> deliveries.put(name, DeliveryState.fromAttribute(state)));
      }
      entries.add(new OutboxEntry(index, text(entry, "id"), text(entry, "type"), text(entry, "subject"),
          Optional.ofNullable(entry.get("time")).map(time -> Instant.parse(time.s())),
          Optional.ofNullable(entry.get("event")).map(AttributeValue::s), deliveries));
    }
    return entries;
  }

  private static String text(Map<String, AttributeValue> entry, String name) {
    AttributeValue value = entry.get(name);
    return value == null || value.s() == null ? "" : value.s();
  }
}
