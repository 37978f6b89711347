package io.webstore.platform.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The one envelope of every event: CloudEvents 1.0 in the JSON format ({@code id}, {@code type}, {@code source},
 * {@code subject}, {@code time}, {@code dataschema}, {@code datacontenttype} {@code application/json}, {@code data}).
 * The id is chosen by the writer of the state change and stored with it, so every retry of a publication carries the
 * same id and consumers can deduplicate by it.
 */
public final class Events {

  private static final EventFormat JSON = new JsonFormat();
  private static final String CONTENT_TYPE = "application/json";

  private Events() {}

  /** A new event; {@code subject} is the order id, customer id or SKU it is about. */
  public static CloudEvent create(String id, EventType type, String subject, Instant time, JsonObject data) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withType(type.type())
        .withSource(type.source())
        .withSubject(subject)
        .withTime(time.atOffset(ZoneOffset.UTC))
        .withDataSchema(type.dataSchema())
        .withDataContentType(CONTENT_TYPE)
        .withData(CONTENT_TYPE, data.toBuffer().getBytes())
        .build();
  }

  /** The event in the CloudEvents JSON format. */
  public static String encode(CloudEvent event) {
    return new String(JSON.serialize(event), StandardCharsets.UTF_8);
  }

  public static JsonObject toJson(CloudEvent event) {
    return new JsonObject(encode(event));
  }

  /** Reads an event in the CloudEvents JSON format; an {@code IllegalArgumentException} when it is not one. */
  public static CloudEvent decode(String json) {
    try {
      return JSON.deserialize(json.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a CloudEvent in JSON: " + e.getMessage(), e);
    }
  }

  /** The event's data as JSON (empty when it has none). */
  public static JsonObject data(CloudEvent event) {
    return event.getData() == null ? new JsonObject()
        : new JsonObject(Buffer.buffer(event.getData().toBytes()));
  }

  /** The event's type, when it is one of ours. */
  public static EventType type(CloudEvent event) {
    return EventType.of(event.getType())
        .orElseThrow(() -> new IllegalArgumentException("unknown event type " + event.getType()));
  }

  /**
   * Publishes the event on the local event bus at its type's address, for the verticles that react inside the
   * process. Call it after the state change is durable; what must leave the process goes through the outbox.
   */
  public static void publishLocally(EventBus bus, CloudEvent event) {
    bus.publish(type(event).address(), toJson(event));
  }
}
