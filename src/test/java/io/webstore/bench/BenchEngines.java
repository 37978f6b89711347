package io.webstore.bench;

import io.vertx.core.Vertx;
import io.webstore.dev.DevServices;
import io.webstore.testing.Engines;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code make bench}'s engines in a JVM of their own: the four dev engines (in memory) and a {@link CountingProxy} in
 * front of the DynamoDB engine. Prints {@code BENCH_ENGINES dynamo=<proxy> dynamo_direct=<engine> sqs=<url>
 * kafka=<servers> redis=<uri> eventbridge=<url> counts=<url>} once ready, then runs until its stdin closes (the bench holds the pipe),
 * so the engines die with the bench.
 */
public final class BenchEngines {

  static final String READY_PREFIX = "BENCH_ENGINES ";

  private BenchEngines() {}

  public static void main(String[] args) throws IOException {
    try (DevServices services = DevServices.start(DevServices.Options.inMemory())) {
      DevServices.Endpoints endpoints = services.endpoints();
      Vertx vertx = Vertx.vertx();
      CountingProxy proxy = Engines.await(CountingProxy.start(vertx, endpoints.dynamo()));
      System.out.println(READY_PREFIX + "dynamo=http://127.0.0.1:" + proxy.port()
          + " dynamo_direct=" + endpoints.dynamo() + " sqs=" + endpoints.sqs()
          + " kafka=" + endpoints.kafkaBootstrap() + " redis=" + endpoints.redis()
          + " eventbridge=" + endpoints.eventBridge()
          + " counts=http://127.0.0.1:" + proxy.countsPort() + "/counts");
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
      Engines.await(vertx.close());
    }
  }
}
