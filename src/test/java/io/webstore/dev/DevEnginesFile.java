package io.webstore.dev;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where {@code make run}'s engines listen, for the project's other commands ({@code make feed}) to find them without
 * the user typing a port: {@link DevMain} writes {@link #DEFAULT} once the store is ready and deletes it when it stops.
 * A file left by a JVM that was killed names a process that is gone; {@link #read} says so.
 */
public final class DevEnginesFile {

  /** {@code target/dev-engines.json}, relative to the project directory (where make runs). */
  public static final Path DEFAULT = Path.of("target", "dev-engines.json");

  /**
   * What the file says.
   *
   * @param pid the {@code make run} JVM
   * @param kafkaBootstrap the broker's {@code bootstrap.servers}
   * @param httpPort the store's API port
   * @param running whether that JVM is still alive (false: a stale file left by a killed run)
   */
  public record Running(long pid, String kafkaBootstrap, int httpPort, boolean running) {}

  private DevEnginesFile() {}

  /** Writes the file atomically (a reader never sees half of it). */
  public static void write(Path file, DevServices.Endpoints endpoints, int httpPort) {
    JsonObject json = new JsonObject()
        .put("pid", ProcessHandle.current().pid())
        .put("kafka_bootstrap", endpoints.kafkaBootstrap())
        .put("dynamodb", endpoints.dynamo().toString())
        .put("sqs", endpoints.sqs().toString())
        .put("redis", endpoints.redis())
        .put("eventbridge", endpoints.eventBridge().toString())
        .put("http_port", httpPort);
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path partial = Files.createTempFile(dir, "dev-engines", ".partial");
      Files.writeString(partial, json.encodePrettily() + "\n", StandardCharsets.UTF_8);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("dev.engines_file could not write " + file, e);
    }
  }

  /** The file's content; empty when there is no file. A file that cannot be parsed is reported as unreadable. */
  public static Optional<Running> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("dev.engines_file could not read " + file, e);
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is not the JSON make run writes (" + e.getMessage() + ")", e);
    }
    long pid = json.getLong("pid", -1L);
    String kafka = json.getString("kafka_bootstrap");
    if (kafka == null || kafka.isBlank()) {
      throw new IllegalStateException(file + " names no kafka_bootstrap");
    }
    boolean running = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    return Optional.of(new Running(pid, kafka, json.getInteger("http_port", -1), running));
  }

  /** Removes the file; nothing happens when it is already gone. */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("dev.engines_file could not delete " + file, e);
    }
  }
}
