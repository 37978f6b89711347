package io.webstore.feeds;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.stream.Collectors;

/** The JSON Schema of one topic's records ({@code src/main/resources/feeds/<topic>.json}). */
final class RecordSchema {

  private final Validator validator;

  private RecordSchema(Validator validator) {
    this.validator = validator;
  }

  /** The schema of the topic with logical name {@code name}, from the class path. */
  static RecordSchema of(String name) {
    String resource = "feeds/" + name + ".json";
    try (InputStream in = RecordSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no JSON Schema " + resource + " on the class path");
      }
      JsonObject schema = new JsonObject(Buffer.buffer(in.readAllBytes()));
      return new RecordSchema(Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("https://webstore.io/feeds/" + name)
          .setOutputFormat(OutputFormat.Basic)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Why {@code record} breaks the schema ({@code /on_hand: ...}), or empty when it does not. */
  Optional<String> violation(JsonObject record) {
    OutputUnit result = validator.validate(record);
    if (result.getValid()) {
      return Optional.empty();
    }
    if (result.getErrors() == null || result.getErrors().isEmpty()) {
      return Optional.of(String.valueOf(result.getError()));
    }
    return Optional.of(result.getErrors().stream()
        .map(error -> (error.getInstanceLocation() == null || error.getInstanceLocation().isEmpty()
            ? "/" : error.getInstanceLocation()) + " " + error.getError())
        .distinct()
        .limit(3)
        .collect(Collectors.joining("; ")));
  }
}
