package io.webstore.platform.events;

import io.cloudevents.CloudEvent;
import io.webstore.platform.dynamo.Update;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The shape of an outbox in an aggregate's item, the same in every table that has one: the events written with the
 * state change that caused them, never published first and saved second.
 *
 * <ul>
 *   <li>{@value #EVENTS}: a list of entries {@code {id, type, subject, time, event, deliveries}}, oldest first, where
 *       {@code event} is the CloudEvent in JSON and {@code deliveries} maps a destination name to its state
 *       ({@code state} pending / sent / parked, {@code attempts}, {@code last_error}, {@code sent_at});
 *   <li>{@value #PENDING}: a shard key, present only while some entry is not delivered everywhere: the key of the
 *       sparse index {@value #INDEX}, through which the relay finds exactly the items with work;
 *   <li>{@value #LEASE} and {@value #LEASE_OWNER}: the relay instance working on the item, until when.
 * </ul>
 */
public final class Outbox {

  public static final String EVENTS = "outbox";
  public static final String PENDING = "outbox_pending";
  public static final String LEASE = "outbox_lease";
  public static final String LEASE_OWNER = "outbox_lease_owner";
  /** The sparse index on {@value #PENDING} of every table with an outbox. */
  public static final String INDEX = "outbox-index";
  /** Shards of {@value #PENDING}: no single index partition takes every write of a flash sale. */
  public static final int SHARDS = 8;

  private Outbox() {}

  /** The shard of an item, from its key. */
  public static String shard(String key) {
    return "p" + Math.floorMod(key.hashCode(), SHARDS);
  }

  public static List<String> shards() {
    return java.util.stream.IntStream.range(0, SHARDS).mapToObj(shard -> "p" + shard).toList();
  }

  /** One entry, no destination tried yet. */
  public static AttributeValue entry(CloudEvent event) {
    Map<String, AttributeValue> entry = new HashMap<>();
    entry.put("id", AttributeValue.fromS(event.getId()));
    entry.put("type", AttributeValue.fromS(event.getType()));
    entry.put("subject", AttributeValue.fromS(event.getSubject()));
    entry.put("time", AttributeValue.fromS(event.getTime().toInstant().toString()));
    entry.put("event", AttributeValue.fromS(Events.encode(event)));
    entry.put("deliveries", AttributeValue.fromM(Map.of()));
    return AttributeValue.fromM(entry);
  }

  /** Adds the outbox with {@code events} to a new item whose key is {@code key}. */
  public static void putInto(Map<String, AttributeValue> item, String key, List<CloudEvent> events) {
    item.put(EVENTS, AttributeValue.fromL(events.stream().map(Outbox::entry).toList()));
    item.put(PENDING, AttributeValue.fromS(shard(key)));
  }

  /** Appends {@code events} to the item's outbox in {@code update}, and marks the item pending. */
  public static Update appendTo(Update update, String key, List<CloudEvent> events) {
    return update
        .set(EVENTS + " = list_append(if_not_exists(" + EVENTS + ", :outbox_none), :outbox_events), "
            + PENDING + " = :outbox_shard")
        .value(":outbox_none", AttributeValue.fromL(List.of()))
        .value(":outbox_events", AttributeValue.fromL(events.stream().map(Outbox::entry).toList()))
        .value(":outbox_shard", AttributeValue.fromS(shard(key)));
  }
}
