package io.webstore.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.webstore.WebStore;
import io.webstore.catalog.DemoSkus;
import io.webstore.dev.DevServices;
import io.webstore.feeds.FeedSample;
import io.webstore.feeds.Feeder;
import io.webstore.testing.Engines;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@code make bench-ingest}: the {@code supply.inventory} feed through the broker into the dev store, in one run and
 * one JVM (the engines, the store and the load all share this machine's cores; ratios, not absolute numbers, are what
 * the run is for):
 * <ol>
 *   <li>{@code N} inventory records over the demo catalog's SKUs and four warehouses (sequences rising per SKU and
 *       warehouse) are produced to the store's broker while the store consumes them; the ingest rate is records ÷
 *       seconds from the first record sent to the feed's consumer group having committed every record.</li>
 *   <li>Shoppers at a constant arrival rate (product reads and guest add-to-carts, open model) are measured once
 *       before the feed and once while it is applied: their p99 with ÷ without.</li>
 *   <li>The references, on the same topic afterwards: the raw consume ceiling (a plain consumer that reads and
 *       discards) and a naive loop (one conditional {@code UpdateItem} per record, each awaited before the next, on a
 *       table of its own) over the first {@code bench.ingest.naiveRecords} records.</li>
 * </ol>
 */
public final class IngestBench {

  private static final String TOPIC = "supply.inventory";
  private static final String GROUP = "webstore-feed-supply.inventory";
  private static final PrintStream out = System.out;

  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    long records = Long.getLong("bench.ingest.records", 1_000_000);
    int naiveRecords = Integer.getInteger("bench.ingest.naiveRecords", 20_000);
    double shopperRate = Double.parseDouble(System.getProperty("bench.ingest.shopperRate", "100"));
    Duration shopperWindow = Duration.ofSeconds(Integer.getInteger("bench.ingest.shopperSeconds", 10));
    Path dir = Files.createDirectories(Path.of("target", "bench"));
    Path file = dir.resolve("ingest-" + TOPIC + ".jsonl");

    log("writing " + records + " " + TOPIC + " records to " + file);
    FeedSample.write(FeedSample.Spec.of(TOPIC, records, "demo"), file);

    log("starting the dev engines and the store");
    try (LoadStore stores = LoadStore.start(null, true, new JsonObject()
        .put("http", new JsonObject()
            // the shoppers come from many addresses, as real ones do: the per-client limit is not what is measured
            .put("trustedProxyHeader", "X-Forwarded-For"))
        .put("feeds", new JsonObject().put("enabled", true)))) {
      Vertx vertx = Vertx.vertx();
      try {
        run(vertx, stores.store(), stores.endpoints(), file, records, naiveRecords, shopperRate, shopperWindow);
      } finally {
        Engines.await(vertx.close());
      }
    }
    System.exit(0);
  }

  private static void run(Vertx vertx, WebStore store, DevServices.Endpoints endpoints, Path file, long records,
      int naiveRecords, double shopperRate, Duration shopperWindow) throws Exception {
    String bootstrap = endpoints.kafkaBootstrap();
    List<String> skus = DemoSkus.all();
    Shoppers shoppers = Shoppers.prepare(vertx, store.port(), skus);

    log("shoppers without a feed: " + shopperRate + "/s of product reads and of add-to-carts for "
        + shopperWindow.toSeconds() + " s");
    Shoppers.Result idle = shoppers.run(shopperRate, shopperWindow);
    log("  " + idle);

    log("feeding " + records + " records to " + TOPIC + " at " + bootstrap);
    long started = System.nanoTime();
    CompletableFuture<Feeder.Summary> fed = CompletableFuture.supplyAsync(() -> {
      try {
        return Feeder.feed(new Feeder.Options(bootstrap, TOPIC, "sku", file, Duration.ofSeconds(30),
            Duration.ofSeconds(10), false, 5), System.err);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Feeder.Summary summary = fed.get(30, TimeUnit.MINUTES);
      log("produced: " + summary.sent() + " sent, " + summary.rejected() + " rejected, "
          + Math.round(summary.rate()) + " records/s");
      // the shoppers' second window falls while the store applies the backlog (the producer is done by then)
      awaitBacklog(admin, Math.min(records / 4, 1_000));
      log("shoppers while the feed is applied");
      Shoppers.Result busy = shoppers.run(shopperRate, shopperWindow);
      log("  " + busy);
      long committed = awaitCommitted(admin, Duration.ofMinutes(30));
      double seconds = (System.nanoTime() - started) / 1e9;
      double ingestRps = committed / seconds;
      double cpuCores = processCpuSeconds() / uptimeSeconds();
      log("ingested: " + committed + " records committed in " + Math.round(seconds) + " s");

      log("reference: raw consume (read and discard) of the same topic");
      double consumeRps = rawConsume(bootstrap, committed);
      int naive = (int) Math.min(naiveRecords, committed); // the topic holds no more than that
      log("reference: naive loop, one awaited conditional write per record, first " + naive + " records");
      double naiveRps = naiveLoop(bootstrap, endpoints, naive);

      out.println();
      out.printf("RESULT scenario=ingest records=%d seconds=%.1f rps=%.0f ratio_to_consume=%.3f ratio_to_naive=%.1f"
          + " jvm_cpu_cores_avg=%.2f%n", committed, seconds, ingestRps, ingestRps / consumeRps, ingestRps / naiveRps,
          cpuCores);
      out.printf("RESULT scenario=consume_ceiling records=%d rps=%.0f%n", committed, consumeRps);
      out.printf("RESULT scenario=naive_write_loop records=%d rps=%.0f%n", naive, naiveRps);
      out.printf("RESULT scenario=shoppers rate=%.0f product_read_p99_ms idle=%.2f feed=%.2f ratio=%.2f"
              + " add_to_cart_p99_ms idle=%.2f feed=%.2f ratio=%.2f%n", shopperRate, idle.readP99Ms(),
          busy.readP99Ms(), busy.readP99Ms() / idle.readP99Ms(), idle.addP99Ms(), busy.addP99Ms(),
          busy.addP99Ms() / idle.addP99Ms());
    }
  }

  /** Waits until the topic holds {@code atLeast} records more than the feed's group has committed. */
  private static void awaitBacklog(Admin admin, long atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      long[] state = endAndCommitted(admin);
      if (state[0] - state[1] >= atLeast || state[0] >= atLeast * 4) {
        return;
      }
      Thread.sleep(200); // polling a broker from the bench's main thread; not a test
    }
  }

  /** Waits until the feed's group has committed every record of the topic; the number committed. */
  private static long awaitCommitted(Admin admin, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastLog = 0;
    while (System.nanoTime() < deadline) {
      long[] state = endAndCommitted(admin);
      if (state[0] > 0 && state[1] >= state[0]) {
        return state[1];
      }
      if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(10)) {
        log("  committed " + state[1] + " of " + state[0]);
        lastLog = System.nanoTime();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the feed's group did not commit the topic within " + timeout);
  }

  /** {end offsets summed, committed offsets summed} of the topic for the feed's group. */
  private static long[] endAndCommitted(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    List<TopicPartition> partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS)
        .get(TOPIC).partitions().stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
    long end = 0;
    for (var entry : admin.listOffsets(partitions.stream()
            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(10, TimeUnit.SECONDS)
        .entrySet()) {
      end += entry.getValue().offset();
    }
    long done = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
    return new long[] {end, done};
  }

  private static double rawConsume(String bootstrap, long expected) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, ByteArrayDeserializer.class)) {
      consumer.subscribe(List.of(TOPIC));
      long seen = 0;
      long bytes = 0;
      long started = System.nanoTime();
      while (seen < expected) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          seen++;
          bytes += record.value() == null ? 0 : record.value().length; // touch the value, as a consumer would
        }
      }
      double rps = seen / ((System.nanoTime() - started) / 1e9);
      log("  " + seen + " records (" + bytes / 1_000_000 + " MB) at " + Math.round(rps) + " records/s");
      return rps;
    }
  }

  private static double naiveLoop(String bootstrap, DevServices.Endpoints endpoints, int limit) {
    String table = "bench-naive-ingest";
    try (DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dev", "dev")))
            .endpointOverride(endpoints.dynamo())
            .build();
        KafkaConsumer<String, String> consumer = consumer(bootstrap, StringDeserializer.class)) {
      createTable(dynamo, table);
      consumer.subscribe(List.of(TOPIC));
      long seen = 0;
      long stale = 0;
      long started = System.nanoTime();
      while (seen < limit) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (seen >= limit) {
            break;
          }
          JsonObject json = new JsonObject(record.value());
          try {
            dynamo.updateItem(update -> update.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(json.getString("sku") + "#" + json.getString("warehouse"))))
                .updateExpression("SET on_hand = :n, seq = :seq")
                .conditionExpression("attribute_not_exists(seq) OR seq < :seq")
                .expressionAttributeValues(Map.of(
                    ":n", AttributeValue.fromN(String.valueOf(json.getLong("on_hand"))),
                    ":seq", AttributeValue.fromN(String.valueOf(json.getLong("sequence")))))).join();
          } catch (java.util.concurrent.CompletionException e) {
            if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
              throw e;
            }
            stale++;
          }
          seen++;
        }
      }
      double rps = seen / ((System.nanoTime() - started) / 1e9);
      log("  " + seen + " records (" + stale + " stale) at " + Math.round(rps) + " records/s");
      return rps;
    }
  }

  private static void createTable(DynamoDbAsyncClient dynamo, String table) {
    dynamo.createTable(create -> create.tableName(table).billingMode("PAY_PER_REQUEST")
        .attributeDefinitions(d -> d.attributeName("pk").attributeType("S"))
        .keySchema(k -> k.attributeName("pk").keyType("HASH"))).join();
    io.webstore.testing.Deadline.await("table " + table + " active", Duration.ofSeconds(60), () ->
        "ACTIVE".equals(dynamo.describeTable(d -> d.tableName(table)).join().table().tableStatusAsString()));
  }

  private static <T> KafkaConsumer<T, T> consumer(String bootstrap, Class<?> deserializer) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-ingest-reference-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, deserializer.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, deserializer.getName());
    return new KafkaConsumer<>(props);
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  private static double uptimeSeconds() {
    return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
  }

  private static void log(String line) {
    System.err.println("==> " + line);
  }

  /** Product reads and guest add-to-carts at a constant arrival rate, each measured on its own. */
  private record Shoppers(LoadGenerator generator, int port, List<String> skus, List<String> sessions) {

    record Result(LoadGenerator.Outcome reads, LoadGenerator.Outcome adds) {
      double readP99Ms() {
        return reads.p99Ms();
      }

      double addP99Ms() {
        return adds.p99Ms();
      }

      @Override
      public String toString() {
        return "product reads: " + reads + "\n      add-to-carts: " + adds;
      }
    }

    /** One of 4,096 client addresses. */
    private static String address(long n) {
      return "10.1." + ((n / 256) % 16) + "." + (n % 256);
    }

    static Shoppers prepare(Vertx vertx, int port, List<String> skus) {
      WebClient web = WebClient.create(vertx);
      List<Future<String>> sessions = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        sessions.add(web.get(port, "127.0.0.1", "/api/v1/cart").send()
            .map(response -> response.getHeader("X-Session-Id")));
      }
      List<String> ids = Engines.await(Future.all(sessions)).<String>list();
      return new Shoppers(Engines.await(LoadGenerator.create(vertx, 1)), port, skus, ids);
    }

    Result run(double rate, Duration window) {
      AtomicLong reads = new AtomicLong();
      AtomicLong adds = new AtomicLong();
      MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
      Future<LoadGenerator.Outcome> readRun = generator.open(port, 16, rate, window, i -> {
        long n = reads.getAndIncrement();
        return new LoadGenerator.Shot(HttpMethod.GET, "/api/v1/products/" + skus.get((int) (n % skus.size())),
            MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", address(n)), null);
      });
      Future<LoadGenerator.Outcome> addRun = generator.open(port, 16, rate, window, i -> {
        long n = adds.getAndIncrement();
        return new LoadGenerator.Shot(HttpMethod.POST, "/api/v1/cart/items",
            MultiMap.caseInsensitiveMultiMap().addAll(json).add("X-Session-Id",
                sessions.get((int) (n % sessions.size()))).add("X-Forwarded-For", address(n + 500_000)),
            new JsonObject().put("sku", skus.get((int) ((n / sessions.size()) % skus.size()))).put("quantity", 1)
                .toBuffer());
      });
      Engines.await(Future.all(readRun, addRun), window.plusMinutes(2));
      return new Result(readRun.result(), addRun.result());
    }
  }
}
