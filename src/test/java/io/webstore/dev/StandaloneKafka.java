package io.webstore.dev;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Kafka broker of a test's own, beside the shared engines, that the test may stop and start again on the same
 * address (an outage), which the shared broker other tests use must never see.
 */
public final class StandaloneKafka implements AutoCloseable {

  private KafkaServer server;
  private final String bootstrapServers;

  private StandaloneKafka(KafkaServer server) {
    this.server = server;
    this.bootstrapServers = server.bootstrapServers();
  }

  public static StandaloneKafka start() {
    try {
      return new StandaloneKafka(KafkaServer.start(Files.createTempDirectory("webstore-kafka-outage")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the broker; {@link #restart} brings it back on the same address. */
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }

  public void restart() {
    server = server.restart();
  }

  @Override
  public void close() {
    stop();
    server = null;
  }
}
