package io.webstore.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Each engine through the real client the app uses, and the engines' fate when their JVM is killed. */
class DevServicesTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final AwsBasicCredentials DUMMY_CREDENTIALS = AwsBasicCredentials.create("dev", "dev");

  static Process probe;
  static BlockingQueue<String> probeOutput = new LinkedBlockingQueue<>();
  static DevServices services;
  static Vertx vertx;
  static DynamoDbAsyncClient dynamo;
  static SqsAsyncClient sqs;

  @BeforeAll
  static void startEngines() throws IOException {
    // The probe JVM of childProcessesDieWhenTheirJvmIsKilled starts first, so its start-up overlaps ours
    probe = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
        DevServicesProbe.class.getName())
        .redirectErrorStream(true)
        .start();
    Thread reader = new Thread(() -> readLines(probe, probeOutput), "devservices-probe-out");
    reader.setDaemon(true);
    reader.start();

    services = DevServices.start(DevServices.Options.inMemory());
    vertx = Vertx.vertx();
    dynamo = dynamoClient(services.endpoints().dynamo());
    sqs = SqsAsyncClient.builder()
        .endpointOverride(services.endpoints().sqs())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(DUMMY_CREDENTIALS))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(2)).apiCallTimeout(TIMEOUT))
        .build();
  }

  @AfterAll
  static void stopEngines() throws Exception {
    if (probe != null) {
      probe.destroyForcibly();
    }
    if (dynamo != null) {
      dynamo.close();
    }
    if (sqs != null) {
      sqs.close();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (services != null) {
      services.close();
      services.close(); // idempotent
    }
  }

  @Test
  void reportsEndpointsAndStartupTime() {
    assertThat(services.startupTime()).isPositive();
    System.out.printf("dev.services.startup_ms=%d%n", services.startupTime().toMillis());
    assertThat(services.endpoints().redis()).startsWith("redis://127.0.0.1:");
    assertThat(services.endpoints().kafkaBootstrap()).startsWith("127.0.0.1:");
    assertThat(services.endpoints().eventBridge().toString()).startsWith("http://127.0.0.1:");
  }

  @Test
  void dynamoConditionalPutAcceptsTheFirstWriterOnly() throws Exception {
    String table = "devservices-" + UUID.randomUUID();
    createTable(dynamo, table);

    PutItemRequest firstOnly = PutItemRequest.builder()
        .tableName(table)
        .item(Map.of("pk", AttributeValue.fromS("order-1"), "status", AttributeValue.fromS("PLACED")))
        .conditionExpression("attribute_not_exists(pk)")
        .build();
    dynamo.putItem(firstOnly).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThatThrownBy(() -> dynamo.putItem(firstOnly).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConditionalCheckFailedException.class);
    var kept = dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("order-1"))))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(kept.item().get("status").s()).isEqualTo("PLACED");
  }

  @Test
  void sqsFifoQueueRoundTripsAMessage() throws Exception {
    String queueUrl = sqs.createQueue(r -> r.queueName("devservices-" + UUID.randomUUID() + ".fifo")
            .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .queueUrl();
    assertThat(URI.create(queueUrl).getPort()).as("queue URL %s", queueUrl).isEqualTo(services.endpoints().sqs().getPort());
    String body = "{\"orderId\":\"" + UUID.randomUUID() + "\"}";

    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body).messageGroupId("order-1")
            .messageDeduplicationId(UUID.randomUUID().toString()))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    Message received = pollUntilPresent(() -> sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .messages().stream().findFirst());
    assertThat(received.body()).isEqualTo(body);
    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(received.receiptHandle()))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void eventBridgeKeepsPutEventsAndForwardsForeignSourcesToTheInboundQueue() throws Exception {
    String queueUrl = sqs.createQueue(r -> r.queueName(EventBridgeEndpoint.INBOUND_QUEUE))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).queueUrl();
    String foreignId = UUID.randomUUID().toString();
    String ownId = UUID.randomUUID().toString();
    try (EventBridgeAsyncClient eventBridge = EventBridgeAsyncClient.builder()
        .endpointOverride(services.endpoints().eventBridge())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(DUMMY_CREDENTIALS))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .build()) {
      var answer = eventBridge.putEvents(put -> put.entries(
              entry -> entry.source("partner.shipping").detailType("Parcel Delivered")
                  .detail("{\"id\":\"" + foreignId + "\"}").eventBusName("test-bus"),
              entry -> entry.source("webstore/orders").detailType("webstore.order.placed")
                  .detail("{\"id\":\"" + ownId + "\"}"),
              entry -> entry.source("partner.shipping").detailType("Parcel Delivered").detail("not json")))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThat(answer.failedEntryCount()).isEqualTo(1);
      assertThat(answer.entries().get(2).errorCode()).isEqualTo("MalformedDetail");
      assertThat(answer.entries().get(0).eventId()).isNotBlank();
      var kept = services.eventBridge().receivedWithId(foreignId);
      assertThat(kept).hasSize(1);
      assertThat(kept.get(0).eventBusName()).isEqualTo("test-bus");
      assertThat(kept.get(0).detailType()).isEqualTo("Parcel Delivered");
      assertThat(services.eventBridge().receivedWithId(ownId)).hasSize(1);
    }

    Message forwarded = pollUntilPresent(() -> sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .messages().stream().findFirst());
    var event = new io.vertx.core.json.JsonObject(forwarded.body());
    assertThat(event.getString("source")).isEqualTo("partner.shipping");
    assertThat(event.getString("detail-type")).isEqualTo("Parcel Delivered");
    assertThat(event.getJsonObject("detail").getString("id")).isEqualTo(foreignId);
    var forwardedEntries = pollUntilPresent(() -> Optional.of(services.eventBridge().forwarded())
        .filter(entries -> !entries.isEmpty()));
    assertThat(forwardedEntries).extracting(EventBridgeEndpoint.Entry::source)
        .containsExactly("partner.shipping"); // the store's own event stays off the inbound queue
  }

  @Test
  void kafkaRoundTripsARecordThroughAConsumerGroup() throws Exception {
    String topic = "devservices-" + UUID.randomUUID();
    String key = "order-" + UUID.randomUUID();
    try (var producer = new KafkaProducer<String, String>(producerConfig());
        var consumer = new KafkaConsumer<String, String>(consumerConfig("devservices-" + UUID.randomUUID()))) {
      RecordMetadata sent = producer.send(new ProducerRecord<>(topic, key, "placed"))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(sent.offset()).isZero();

      consumer.subscribe(List.of(topic));
      ConsumerRecord<String, String> received = pollUntilPresent(() -> {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          return Optional.of(record);
        }
        return Optional.empty();
      });
      assertThat(received.key()).isEqualTo(key);
      assertThat(received.value()).isEqualTo("placed");
    }
  }

  @Test
  void redisAnswersPingAndComesBackAfterAnOutage() throws Exception {
    String uri = services.endpoints().redis();
    assertThat(ping(uri)).isEqualTo("PONG");

    for (int outage = 0; outage < 2; outage++) {
      long runningPid = services.redisPid();
      services.stopRedis();
      assertThat(isAlive(runningPid)).as("redis-server pid %d after stopRedis", runningPid).isFalse();
      assertThatThrownBy(() -> ping(uri)).isInstanceOf(ExecutionException.class);

      services.startRedis();
      assertThat(ping(uri)).isEqualTo("PONG");
      assertThat(services.redisPid()).isNotEqualTo(runningPid);
    }
  }

  @Test
  void childProcessesDieWhenTheirJvmIsKilled() throws Exception {
    try {
      Matcher pids = awaitProbeReady(probe, probeOutput);
      long nodePid = Long.parseLong(pids.group(1));
      long redisPid = Long.parseLong(pids.group(2));
      ProcessHandle node = ProcessHandle.of(nodePid).orElseThrow();
      ProcessHandle redis = ProcessHandle.of(redisPid).orElseThrow();
      assertThat(node.isAlive()).as("dynalite node process before the kill").isTrue();
      assertThat(redis.isAlive()).as("redis-server process before the kill").isTrue();

      probe.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(probe.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      // onExit polls processes that are not our children: a deadline, no sleeps
      CompletableFuture.allOf(node.onExit(), redis.onExit()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(node.isAlive()).as("dynalite node process (pid %d) after its JVM was killed", nodePid).isFalse();
      assertThat(redis.isAlive()).as("redis-server process (pid %d) after its JVM was killed", redisPid).isFalse();
    } finally {
      probe.destroyForcibly();
    }
  }

  @Test
  void persistentDataDirSurvivesARestartAndAdmitsOneServerOnly(@TempDir Path dataDir) throws Exception {
    Path devDir = Path.of("dev");
    String table = "devservices-" + UUID.randomUUID();
    DynaliteServer first = DynaliteServer.start(devDir, dataDir);
    try (DynamoDbAsyncClient client = dynamoClient(first.endpoint())) {
      createTable(client, table);
      client.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("kept"))))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThatThrownBy(() -> DynaliteServer.start(devDir, dataDir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another dev server (pid " + first.pid() + ") uses the DynamoDB data dir");
    } finally {
      first.stop();
    }
    assertThat(Files.exists(dataDir.resolve(".lock"))).as("lock released on stop").isFalse();

    DynaliteServer second = DynaliteServer.start(devDir, dataDir);
    try (DynamoDbAsyncClient client = dynamoClient(second.endpoint())) {
      var kept = client.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("kept"))))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(kept.hasItem()).isTrue();
    } finally {
      second.stop();
    }
  }

  private static DynamoDbAsyncClient dynamoClient(URI endpoint) {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(DUMMY_CREDENTIALS))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(2)).apiCallTimeout(TIMEOUT))
        .build();
  }

  private static void createTable(DynamoDbAsyncClient client, String table) throws Exception {
    client.createTable(r -> r.tableName(table)
            .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                .attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
            .billingMode(BillingMode.PAY_PER_REQUEST))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Properties producerConfig() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.endpoints().kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return config;
  }

  private static Properties consumerConfig(String groupId) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.endpoints().kafkaBootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return config;
  }

  /** A fresh client per call, so a pooled connection cannot hide an outage or a recovery. */
  private static String ping(String uri) throws Exception {
    Redis client = Redis.createClient(vertx, uri);
    try {
      Future<Response> pong = client.send(Request.cmd(Command.PING));
      return pong.toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).toString();
    } finally {
      client.close();
    }
  }

  private static Matcher awaitProbeReady(Process probe, BlockingQueue<String> lines) throws InterruptedException {
    Pattern ready = Pattern.compile(Pattern.quote(DevServicesProbe.READY_PREFIX) + "node=(\\d+) redis=(\\d+)");
    StringBuilder output = new StringBuilder();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        output.append(line).append('\n');
        Matcher matcher = ready.matcher(line);
        if (matcher.matches()) {
          return matcher;
        }
      } else if (!probe.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("the probe JVM did not report ready; its output:\n" + output);
  }

  private static void readLines(Process process, BlockingQueue<String> lines) {
    try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException closed) {
      // the probe is gone
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @FunctionalInterface
  private interface Attempt<T> {
    Optional<T> get() throws Exception;
  }

  private static <T> T pollUntilPresent(Attempt<T> attempt) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> result = attempt.get();
      if (result.isPresent()) {
        return result.get();
      }
    }
    throw new AssertionError("nothing arrived within " + TIMEOUT);
  }
}
