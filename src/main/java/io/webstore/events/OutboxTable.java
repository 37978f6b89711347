package io.webstore.events;

import io.vertx.core.Future;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.events.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The outbox of one table whose items carry one (orders, customers), as the relay and the operators' endpoints use
 * it: pending items through the sparse index, a lease claimed and released by conditional updates, and the state of
 * each event per destination. Key attribute {@code pk}; a subject's item is {@code pk = keyPrefix + subject}.
 */
final class OutboxTable {

  private final String logicalName;
  private final DynamoTable table;
  private final String keyPrefix;

  OutboxTable(String logicalName, DynamoTable table, String keyPrefix) {
    this.logicalName = logicalName;
    this.table = table;
    this.keyPrefix = keyPrefix;
  }

  String logicalName() {
    return logicalName;
  }

  /** Up to {@code limit} items of one shard with events not yet delivered everywhere. */
  Future<List<Map<String, AttributeValue>>> pending(String shard, int limit) {
    return table.query("queryOutbox", QueryRequest.builder().tableName(table.name()).indexName(Outbox.INDEX)
            .keyConditionExpression("#pending = :shard")
            .expressionAttributeNames(Map.of("#pending", Outbox.PENDING))
            .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shard)))
            .limit(limit)
            .build())
        .map(response -> response.items());
  }

  /**
   * Claims the item for {@code owner} until {@code until}, if it is still pending and nobody else holds a lease that
   * has not expired; the item as it is now, or empty when someone else has it (or it has no work left).
   */
  Future<Optional<Map<String, AttributeValue>>> claim(String key, String owner, Instant now, Instant until) {
    return table.update("claimOutbox", key(key), Update.create()
                .set("#lease = :until, #owner = :owner")
                .name("#lease", Outbox.LEASE).name("#owner", Outbox.LEASE_OWNER)
                .value(":until", AttributeValue.fromN(Long.toString(until.toEpochMilli())))
                .value(":owner", AttributeValue.fromS(owner)),
            Condition.of("attribute_exists(#pending) AND (attribute_not_exists(#lease) OR #lease < :now)")
                .name("#pending", Outbox.PENDING).name("#lease", Outbox.LEASE)
                .value(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
        .map(Optional::of)
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(err));
  }

  /**
   * Records the new delivery states and gives the lease back, if {@code owner} still holds it. When {@code finished}
   * (every entry delivered or parked everywhere) and no entry was appended meanwhile ({@code size} entries), the
   * item leaves the index. False when the lease was lost (another relay took the item over after it expired).
   */
  Future<Boolean> record(String key, String owner, Map<Integer, Map<String, DeliveryState>> changes, boolean finished,
      int size) {
    if (finished) {
      return write(key, owner, changes, true, size).recover(err -> err instanceof ConditionFailed
          ? write(key, owner, changes, false, size) // an event was appended meanwhile: the item stays pending
          : Future.failedFuture(err)).map(true)
          .recover(err -> err instanceof ConditionFailed ? Future.succeededFuture(false) : Future.failedFuture(err));
    }
    return write(key, owner, changes, false, size).map(true)
        .recover(err -> err instanceof ConditionFailed ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  private Future<Map<String, AttributeValue>> write(String key, String owner,
      Map<Integer, Map<String, DeliveryState>> changes, boolean finished, int size) {
    Update update = Update.create().name("#outbox", Outbox.EVENTS).name("#lease", Outbox.LEASE)
        .name("#owner", Outbox.LEASE_OWNER);
    int placeholder = 0;
    for (Map.Entry<Integer, Map<String, DeliveryState>> entry : changes.entrySet()) {
      for (Map.Entry<String, DeliveryState> delivery : entry.getValue().entrySet()) {
        String name = "#d" + placeholder;
        String value = ":d" + placeholder;
        update.set("#outbox[" + entry.getKey() + "].deliveries." + name + " = " + value)
            .name(name, delivery.getKey())
            .value(value, delivery.getValue().toAttribute());
        placeholder++;
      }
    }
    update.remove(finished ? "#lease, #owner, #pending" : "#lease, #owner");
    Condition condition = Condition.of("#owner = :me" + (finished ? " AND size(#outbox) = :size" : ""))
        .name("#owner", Outbox.LEASE_OWNER)
        .value(":me", AttributeValue.fromS(owner));
    if (finished) {
      update.name("#pending", Outbox.PENDING);
      condition = condition.name("#outbox", Outbox.EVENTS).value(":size", AttributeValue.fromN(Integer.toString(size)));
    }
    return table.update("recordOutbox", key(key), update, condition);
  }

  /** The item of {@code subject}, if this table has one. */
  Future<Optional<Map<String, AttributeValue>>> bySubject(String subject) {
    return table.get("getOutbox", key(keyPrefix + subject));
  }

  /**
   * Makes the parked deliveries of entry {@code index} pending again (attempts from zero) and the item pending, so
   * the relay tries them again.
   */
  Future<Void> requeue(String key, int index, Map<String, DeliveryState> parked) {
    Update update = Update.create().name("#outbox", Outbox.EVENTS).name("#pending", Outbox.PENDING)
        .set("#pending = :shard").value(":shard", AttributeValue.fromS(Outbox.shard(key)));
    int placeholder = 0;
    for (Map.Entry<String, DeliveryState> delivery : parked.entrySet()) {
      update.set("#outbox[" + index + "].deliveries.#d" + placeholder + " = :d" + placeholder)
          .name("#d" + placeholder, delivery.getKey())
          .value(":d" + placeholder, delivery.getValue().requeued().toAttribute());
      placeholder++;
    }
    return table.update("requeueOutbox", key(key), update, Condition.present("pk")).mapEmpty();
  }

  static String keyOf(Map<String, AttributeValue> item) {
    return item.get("pk").s();
  }

  private static Map<String, AttributeValue> key(String key) {
    return Map.of("pk", AttributeValue.fromS(key));
  }
}
