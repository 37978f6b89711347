package io.webstore.dev;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SQS: ElasticMQ inside this JVM, on a free loopback port. */
final class ElasticMqServer {

  private static final Logger log = LoggerFactory.getLogger(ElasticMqServer.class);

  /** The region the SDK clients use, so queue ARNs (redrive policies) look like the real ones. */
  private static final String REGION = "us-east-1";

  private final SQSRestServer server;
  private final int port;

  private ElasticMqServer(SQSRestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  static ElasticMqServer start() {
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
        .withDynamicPort()
        .withAWSRegion(REGION)
        .start();
    int port = server.waitUntilStarted().localAddress().getPort();
    log.info("devservices.sqs.listening port={}", port);
    return new ElasticMqServer(server, port);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Waits for Pekko to stop: its threads would otherwise keep the JVM alive. */
  void stop() {
    server.stopAndWait();
  }
}
