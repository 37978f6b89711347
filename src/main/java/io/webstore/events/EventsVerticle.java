package io.webstore.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.events.EventsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Owns the operators' {@code outbox.*} addresses: the events of one order, customer or SKU with their state per
 * destination, and re-queuing an event's parked deliveries. An event id names its subject before its first
 * {@code :} ({@code <order id>:<version>}, {@code <customer id>:signed-up}).
 */
final class EventsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(EventsVerticle.class);

  private final List<OutboxTable> tables;
  private final EventsConfig config;

  EventsVerticle(List<OutboxTable> tables, EventsConfig config) {
    this.tables = tables;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return Future.all(consumer(EventsClient.LIST, this::list), consumer(EventsClient.RETRY, this::retry));
  }

  private Future<JsonObject> list(JsonObject body) {
    String subject = required(body, "subject");
    return found(subject).map(items -> {
      JsonArray events = new JsonArray();
      for (Found item : items) {
        for (OutboxEntry entry : OutboxEntry.of(item.item())) {
          events.add(view(entry));
        }
      }
      return new JsonObject().put("subject", subject).put("events", events);
    });
  }

  private Future<JsonObject> retry(JsonObject body) {
    String id = required(body, "id");
    int colon = id.indexOf(':');
    if (colon <= 0) {
      return Future.failedFuture(new NotFound("event", id));
    }
    return found(id.substring(0, colon)).compose(items -> {
      for (Found item : items) {
        for (OutboxEntry entry : OutboxEntry.of(item.item())) {
          if (entry.id().equals(id)) {
            Map<String, DeliveryState> parked = new java.util.HashMap<>();
            entry.deliveries().forEach((name, state) -> {
              if (state.state() == DeliveryState.State.PARKED) {
                parked.put(name, state);
              }
            });
            if (parked.isEmpty()) {
              return Future.succeededFuture(view(entry)); // nothing parked: nothing to do
            }
            String key = OutboxTable.keyOf(item.item());
            return item.table().requeue(key, entry.index(), parked)
                .onSuccess(done -> log.info("events.requeued event={} destinations={}", id, parked.keySet()))
                .compose(done -> item.table().bySubject(id.substring(0, colon)))
                .map(fresh -> fresh.flatMap(after -> OutboxEntry.of(after).stream()
                        .filter(candidate -> candidate.id().equals(id)).findFirst())
                    .map(this::view).orElseThrow(() -> new NotFound("event", id)));
          }
        }
      }
      return Future.failedFuture(new NotFound("event", id));
    });
  }

  private record Found(OutboxTable table, Map<String, AttributeValue> item) {}

  private Future<List<Found>> found(String subject) {
    List<Future<Optional<Found>>> reads = tables.stream()
        .map(table -> table.bySubject(subject).map(item -> item.map(found -> new Found(table, found))))
        .toList();
    return Future.all(reads).map(done -> {
      List<Found> items = new ArrayList<>();
      reads.forEach(read -> read.result().ifPresent(items::add));
      return items;
    });
  }

  private JsonObject view(OutboxEntry entry) {
    JsonArray destinations = new JsonArray();
    for (String name : config.destinationsOf(entry.type())) {
      DeliveryState state = entry.state(name);
      JsonObject json = new JsonObject().put("name", name).put("state", state.wire())
          .put("attempts", state.attempts());
      state.lastError().ifPresent(error -> json.put("last_error", error));
      state.sentAt().ifPresent(at -> json.put("sent_at", at.toString()));
      destinations.add(json);
    }
    JsonObject json = new JsonObject().put("id", entry.id()).put("type", entry.type())
        .put("subject", entry.subject()).put("destinations", destinations);
    entry.time().ifPresent(time -> json.put("time", time.toString()));
    return json;
  }

  private Future<Void> consumer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  private static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future.succeededFuture(msg.body())
        .compose(handler)
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, err));
  }

  private static String required(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value) || value.isBlank()) {
      throw Validation.of("/" + field, field + " must be a non-empty string");
    }
    return value;
  }
}
