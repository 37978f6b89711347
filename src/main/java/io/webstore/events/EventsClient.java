package io.webstore.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.time.Duration;

/** Typed access to the operators' {@code outbox.*} addresses: the events of a subject, and re-queuing a parked one. */
public final class EventsClient {

  /** {@code {"subject"}} → {@code {"subject", "events": [{id, type, time, destinations: [...]}]}}. */
  public static final String LIST = "outbox.list";
  /** {@code {"id"}} → the event as {@link #LIST} shows it, its parked deliveries pending again; NotFound. */
  public static final String RETRY = "outbox.retry";

  private final Vertx vertx;
  private final DeliveryOptions options;

  public EventsClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  public Future<JsonObject> list(String subject) {
    return request(LIST, new JsonObject().put("subject", subject));
  }

  public Future<JsonObject> retry(String eventId) {
    return request(RETRY, new JsonObject().put("id", eventId));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(err -> Future.failedFuture(Replies.toDomain(err)));
  }
}
