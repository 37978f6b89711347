package io.webstore.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.webstore.dev.DevEnginesFile;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.WebstoreTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line feeder against the engines' real broker: each test feeds a topic of its own (never the store's
 * feed topics, which a store in this JVM may consume) and reads it back with a plain consumer.
 */
@WebstoreTest
class FeederTest {

  static String bootstrap;

  @TempDir Path dir;

  @BeforeAll
  static void broker(Engines engines) {
    bootstrap = engines.devServices().endpoints().kafkaBootstrap();
  }

  @Test
  void theTopicHoldsExactlyTheGoodLinesKeyedByTheirEntityAndTheSummaryCountsTheRest() throws Exception {
    String topic = "feeder-test-" + UUID.randomUUID();
    List<String> good = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    List<Long> badLines = new ArrayList<>(); // 1-based, as the summary counts
    for (int i = 0; i < 300; i++) {
      String line = new JsonObject().put("sku", "SKU-F-" + (i % 7)).put("warehouse", "WH-" + (i % 3))
          .put("on_hand", i).put("sequence", i + 1).encode();
      good.add(line);
      lines.add(line);
      String bad = switch (i) {
        case 10 -> "{\"sku\": \"SKU-F-1\", \"on_hand\": "; // cut short
        case 20 -> "[\"SKU-F-1\", 3]"; // JSON, not an object
        case 30 -> "{\"warehouse\":\"WH-0\",\"on_hand\":1,\"sequence\":9}"; // no key
        case 50 -> "{\"sku\":42,\"warehouse\":\"WH-0\",\"on_hand\":1,\"sequence\":9}"; // key not a string
        default -> null;
      };
      if (bad != null) {
        lines.add(bad);
        badLines.add((long) lines.size());
      }
      if (i == 40) {
        lines.add("  "); // blank: skipped, not rejected
      }
    }
    Path file = write(lines);

    Feeder.Summary summary = Feeder.feed(options(topic, file, bootstrap), quiet());

    assertThat(summary.lines()).isEqualTo(305);
    assertThat(summary.sent()).isEqualTo(300);
    assertThat(summary.rejected()).isEqualTo(4);
    assertThat(summary.blank()).isEqualTo(1);
    assertThat(summary.complete()).isTrue();
    assertThat(badLines).containsExactly(12L, 23L, 34L, 56L);
    assertThat(summary.firstRejections()).extracting(Feeder.Rejection::line).containsExactlyElementsOf(badLines);
    assertThat(summary.firstRejections()).extracting(Feeder.Rejection::reason).satisfiesExactly(
        cut -> assertThat(cut).startsWith("not a JSON object"),
        array -> assertThat(array).startsWith("not a JSON object"),
        missing -> assertThat(missing).isEqualTo("no sku"),
        number -> assertThat(number).isEqualTo("sku is not a non-blank string"));

    List<ConsumerRecord<String, String>> records = readAll(topic, 300);
    assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(good);
    assertThat(records).allSatisfy(record ->
        assertThat(record.key()).isEqualTo(new JsonObject(record.value()).getString("sku")));
    Map<String, List<Long>> sequencesBySku = new HashMap<>(); // one key, one partition: the file's order kept
    records.forEach(record -> sequencesBySku.computeIfAbsent(record.key(), k -> new ArrayList<>())
        .add(new JsonObject(record.value()).getLong("sequence")));
    assertThat(sequencesBySku).hasSize(7).allSatisfy((sku, sequences) -> assertThat(sequences).isSorted());
  }

  @Test
  void onlyTheRejectionsAskedForAreListedButAllAreCounted() throws Exception {
    String topic = "feeder-test-" + UUID.randomUUID();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      lines.add("not json " + i);
    }
    lines.add("{\"order_id\":\"ord_1\",\"status\":\"paid\",\"sequence\":1}");
    Feeder.Options options = new Feeder.Options(bootstrap, topic, "order_id", write(lines), Duration.ofSeconds(10),
        Duration.ofMillis(1), false, 5);

    Feeder.Summary summary = Feeder.feed(options, quiet());

    assertThat(summary.rejected()).isEqualTo(30);
    assertThat(summary.sent()).isEqualTo(1);
    assertThat(summary.firstRejections()).extracting(Feeder.Rejection::line).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(readAll(topic, 1)).singleElement().satisfies(record -> assertThat(record.key()).isEqualTo("ord_1"));
  }

  @Test
  void theCommandExitsZeroWhenTheWholeFileWasProcessedAndPrintsTheSummary() throws Exception {
    String topic = "feeder-test-" + UUID.randomUUID();
    Path file = write(List.of(
        "{\"sku\":\"SKU-C-1\",\"warehouse\":\"WH-EAST\",\"on_hand\":4,\"sequence\":1}",
        "{oops",
        "{\"sku\":\"SKU-C-2\",\"warehouse\":\"WH-EAST\",\"on_hand\":5,\"sequence\":1}"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = FeedCommand.run(new String[] {"--topic", topic, "--file", file.toString(), "--bootstrap",
        bootstrap}, print(out), print(err), false, Map.of(topic, "sku"));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("3 lines: 2 sent, 1 rejected")
        .contains("rejected line 2: not a JSON object");
    assertThat(readAll(topic, 2)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("SKU-C-1", "SKU-C-2");
  }

  @Test
  void theCommandFindsMakeRunsBrokerThroughTheEnginesFile() throws Exception {
    String topic = "feeder-test-" + UUID.randomUUID();
    Path enginesFile = dir.resolve("dev-engines.json");
    DevEnginesFile.write(enginesFile, Engines.shared().devServices().endpoints(), 8080);
    Path file = write(List.of("{\"sku\":\"SKU-D-1\",\"warehouse\":\"WH-EAST\",\"on_hand\":1,\"sequence\":1}"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = FeedCommand.run(new String[] {"--topic", topic, "--file", file.toString(), "--engines-file",
        enginesFile.toString()}, print(new ByteArrayOutputStream()), print(err), false, Map.of(topic, "sku"));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(" on " + bootstrap + " ");
    assertThat(readAll(topic, 1)).extracting(ConsumerRecord::key).containsExactly("SKU-D-1");
  }

  @Test
  void withoutARunningStoreTheCommandSaysToStartOneAndExitsNonZero() throws Exception {
    Path file = write(List.of("{\"sku\":\"SKU-E-1\"}"));
    Path missing = dir.resolve("no-such-engines.json");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = FeedCommand.run(new String[] {"--topic", "supply.inventory", "--file", file.toString(),
        "--engines-file", missing.toString()}, print(new ByteArrayOutputStream()), print(err), false,
        FeedCommand.TOPIC_KEYS);

    assertThat(status).isEqualTo(FeedCommand.CANNOT_START);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("make run").contains("BOOTSTRAP=");

    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stale = dir.resolve("stale-engines.json");
    Files.writeString(stale, new JsonObject().put("pid", gone.pid()).put("kafka_bootstrap", bootstrap).encode());
    ByteArrayOutputStream staleErr = new ByteArrayOutputStream();

    int staleStatus = FeedCommand.run(new String[] {"--topic", "supply.inventory", "--file", file.toString(),
        "--engines-file", stale.toString()}, print(new ByteArrayOutputStream()), print(staleErr), false,
        FeedCommand.TOPIC_KEYS);

    assertThat(staleStatus).isEqualTo(FeedCommand.CANNOT_START);
    assertThat(staleErr.toString(StandardCharsets.UTF_8)).contains("gone (pid " + gone.pid() + ")");
  }

  @Test
  void anUnreachableBrokerEndsTheRunNonZeroWithinTheConnectTimeout() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // free once closed: nothing listens there
    }
    Path file = write(List.of("{\"sku\":\"SKU-U-1\",\"warehouse\":\"WH-EAST\",\"on_hand\":1,\"sequence\":1}"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long started = System.nanoTime();

    int status = FeedCommand.run(new String[] {"--topic", "supply.inventory", "--file", file.toString(),
        "--bootstrap", "127.0.0.1:" + closedPort, "--connect-timeout-s", "2"}, print(new ByteArrayOutputStream()),
        print(err), false, FeedCommand.TOPIC_KEYS);

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(status).isEqualTo(FeedCommand.NO_BROKER);
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no Kafka broker answered at 127.0.0.1:" + closedPort + " within 2 s")
        .contains("make run").contains("BOOTSTRAP=");
  }

  @Test
  void clientPropertiesReachTheClientsAndAMissingPropertiesFileStopsTheRun() throws Exception {
    Path file = write(List.of("{\"sku\":\"SKU-P-1\",\"warehouse\":\"WH-EAST\",\"on_hand\":1,\"sequence\":1}"));
    Path tls = dir.resolve("kafka.properties");
    Files.writeString(tls, "security.protocol=SSL\n"); // the engines' broker speaks plaintext only
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = FeedCommand.run(new String[] {"--topic", "supply.inventory", "--file", file.toString(),
        "--bootstrap", bootstrap, "--client-properties", tls.toString(), "--connect-timeout-s", "2"},
        print(new ByteArrayOutputStream()), print(err), false, FeedCommand.TOPIC_KEYS);

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(FeedCommand.NO_BROKER);

    ByteArrayOutputStream missingErr = new ByteArrayOutputStream();
    int missing = FeedCommand.run(new String[] {"--topic", "supply.inventory", "--file", file.toString(),
        "--bootstrap", bootstrap, "--client-properties", dir.resolve("absent.properties").toString()},
        print(new ByteArrayOutputStream()), print(missingErr), false, FeedCommand.TOPIC_KEYS);

    assertThat(missing).isEqualTo(FeedCommand.CANNOT_START);
    assertThat(missingErr.toString(StandardCharsets.UTF_8)).contains("absent.properties");
  }

  @Test
  void aMissingFileOrAnUnknownTopicEndsTheRunNonZeroBeforeAnyConnection() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int noFile = FeedCommand.run(new String[] {"--topic", "supply.inventory", "--file",
        dir.resolve("absent.jsonl").toString(), "--bootstrap", bootstrap}, print(new ByteArrayOutputStream()),
        print(err), false, FeedCommand.TOPIC_KEYS);
    assertThat(noFile).isEqualTo(FeedCommand.CANNOT_START);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no readable file").contains("absent.jsonl");

    ByteArrayOutputStream topicErr = new ByteArrayOutputStream();
    int unknownTopic = FeedCommand.run(new String[] {"--topic", "supply.stock", "--file",
        write(List.of("{}")).toString(), "--bootstrap", bootstrap}, print(new ByteArrayOutputStream()),
        print(topicErr), false, FeedCommand.TOPIC_KEYS);
    assertThat(unknownTopic).isEqualTo(FeedCommand.CANNOT_START);
    assertThat(topicErr.toString(StandardCharsets.UTF_8))
        .contains("unknown topic supply.stock")
        .contains("pim.products, supply.inventory, supply.order-status");

    assertThat(FeedCommand.run(new String[] {"--topic", "supply.inventory"}, print(new ByteArrayOutputStream()),
        print(new ByteArrayOutputStream()), false, FeedCommand.TOPIC_KEYS)).isEqualTo(FeedCommand.CANNOT_START);
    assertThatThrownBy(() -> Feeder.feed(options("any", dir.resolve("absent.jsonl"), bootstrap), quiet()))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void theShippedSamplesAreKeyedAndNoLineIsRejectedByTheFeeder() {
    for (Map.Entry<String, String> topic : FeedCommand.TOPIC_KEYS.entrySet()) {
      Path sample = Path.of("conf", "samples", topic.getKey() + ".jsonl");
      List<String> lines;
      try {
        lines = Files.readAllLines(sample, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new AssertionError("missing sample " + sample, e);
      }
      assertThat(lines).as(sample.toString()).isNotEmpty().allSatisfy(line ->
          assertThat(Feeder.key(line, topic.getValue()).key()).as(line).isNotBlank());
    }
  }

  private Path write(List<String> lines) throws IOException {
    Path file = Files.createTempFile(dir, "feed", ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private static Feeder.Options options(String topic, Path file, String bootstrap) {
    return new Feeder.Options(bootstrap, topic, "sku", file, Duration.ofSeconds(10), Duration.ofSeconds(5), false, 20);
  }

  private static PrintStream quiet() {
    return print(new ByteArrayOutputStream());
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  /** Every record of the topic, from all its partitions, once {@code expected} have arrived (and no more). */
  private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    props.put("enable.auto.commit", "false");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).as("records in " + topic)
          .isEqualTo(expected);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      Deadline.await("the " + expected + " records of " + topic, Duration.ofSeconds(30), () -> {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return records.size() >= expected;
      });
      return records;
    }
  }
}
