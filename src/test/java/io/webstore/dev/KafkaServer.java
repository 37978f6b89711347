package io.webstore.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A single-node Kafka in KRaft mode (broker and controller in one), inside this JVM. */
final class KafkaServer {

  private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);

  private final KafkaRaftServer server;
  private final int brokerPort;
  private final Properties props;

  private KafkaServer(KafkaRaftServer server, int brokerPort, Properties props) {
    this.server = server;
    this.brokerPort = brokerPort;
    this.props = props;
  }

  /** Formats a fresh log dir under {@code dir} and starts; returns once the broker is unfenced. */
  static KafkaServer start(Path dir) {
    // Kafka calls Exit on fatal errors: that would end the whole dev JVM or test run
    Exit.setExitProcedure((status, message) -> {
      throw new IllegalStateException("devservices.kafka Kafka asked to exit the JVM with status " + status + ": "
          + message);
    });
    Exit.setHaltProcedure((status, message) -> {
      throw new IllegalStateException("devservices.kafka Kafka asked to halt the JVM with status " + status + ": "
          + message);
    });
    int[] ports = FreePorts.pick(2);
    int brokerPort = ports[0];
    int controllerPort = ports[1];
    Properties props = properties(dir.resolve("logs"), brokerPort, controllerPort);
    format(dir, props);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      stopQuietly(server);
      throw e;
    }
    log.info("devservices.kafka.listening port={} controllerPort={}", brokerPort, controllerPort);
    return new KafkaServer(server, brokerPort, props);
  }

  /** A stopped broker started again on the same ports and logs (what it had stored is kept). */
  KafkaServer restart() {
    KafkaRaftServer again = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    try {
      again.startup();
    } catch (RuntimeException e) {
      stopQuietly(again);
      throw e;
    }
    log.info("devservices.kafka.restarted port={}", brokerPort);
    return new KafkaServer(again, brokerPort, props);
  }

  String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  void stop() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("log.dirs", logDir.toString());
    // One node: without replication factor 1 the internal topics never form and consumer groups get nothing
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("offsets.topic.num.partitions", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("transaction.state.log.num.partitions", "1");
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    props.setProperty("auto.create.topics.enable", "true");
    props.setProperty("num.partitions", "3");
    return props;
  }

  private static void format(Path dir, Properties props) {
    Path propsFile = dir.resolve("server.properties");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(propsFile)) {
        props.store(out, "webstore dev Kafka");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("devservices.kafka could not write " + propsFile, e);
    }
    int status = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
        propsFile.toString()});
    if (status != 0) {
      throw new IllegalStateException("devservices.kafka formatting " + dir + " failed with status " + status);
    }
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("devservices.kafka.stop.failed error={}", e.toString());
    }
  }
}
