package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/** Checks an event in the CloudEvents JSON format: its envelope, and its data against its type's JSON Schema. */
public final class EventSchemas {

  private static final Map<EventType, Validator> VALIDATORS = new EnumMap<>(EventType.class);

  static {
    for (EventType type : EventType.values()) {
      VALIDATORS.put(type, Validator.create(JsonSchema.of(new JsonObject(read(type.schemaResource()))),
          new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(type.dataSchema().toString())
              .setOutputFormat(OutputFormat.Basic)));
    }
  }

  private EventSchemas() {}

  /** The event, after asserting that it is a complete CloudEvent of ours whose data matches its schema. */
  public static CloudEvent valid(String json) {
    CloudEvent event = Events.decode(json);
    assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(event.getId()).isNotBlank();
    assertThat(event.getSubject()).isNotBlank();
    assertThat(event.getTime()).isNotNull();
    assertThat(event.getSource().toString()).startsWith("/webstore/");
    EventType type = Events.type(event);
    assertThat(event.getDataSchema()).isEqualTo(type.dataSchema());
    assertThat(event.getDataContentType()).isEqualTo("application/json");
    OutputUnit result = VALIDATORS.get(type).validate(Events.data(event));
    assertThat(result.getValid()).as("%s data %s against %s: %s", type.type(), Events.data(event),
        type.schemaResource(), result.getErrors()).isTrue();
    return event;
  }

  private static String read(String resource) {
    try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("schema %s on the classpath", resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
