package io.webstore.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The reference for writes: conditional {@code PutItem}s of a cart-sized item (an owner key, three lines, a version,
 * a write id, timestamps), each on its own key with the store's condition shape ({@code attribute_not_exists(owner) OR
 * version = :read}), from a plain async SDK client (Netty NIO, like the store's) with {@code concurrency} calls always
 * in flight. Nothing else runs: the rate the engine sustains for one durable write per request.
 */
final class RawWrites implements AutoCloseable {

  /** What a run measured; latency in microseconds. */
  record Outcome(double seconds, long completed, long failed, String firstFailure, Histogram latency,
      double generatorCpuCores) {
    double rps() {
      return completed / seconds;
    }

    @Override
    public String toString() {
      return String.format("closed concurrency rps=%.0f p50=%.2fms p99=%.2fms failed=%d generator_cpu=%.2f cores%s",
          rps(), latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, failed,
          generatorCpuCores, firstFailure == null ? "" : " first failure: " + firstFailure);
    }
  }

  private static final String TABLE = "bench-raw-writes";

  private final SdkAsyncHttpClient http;
  private final DynamoDbAsyncClient dynamo;
  private final AtomicLong keys = new AtomicLong();
  private final String keyPrefix = "raw-" + UUID.randomUUID() + "-"; // every put creates an item: no conflicts
  private final java.util.concurrent.atomic.AtomicReference<String> firstFailure =
      new java.util.concurrent.atomic.AtomicReference<>();

  RawWrites(URI endpoint, int concurrency) {
    this(endpoint, NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency)
        .connectionTimeout(Duration.ofSeconds(1)).build());
  }

  /** Over a given SDK HTTP transport (closed with this). */
  RawWrites(URI endpoint, SdkAsyncHttpClient http) {
    this.http = http;
    this.dynamo = DynamoDbAsyncClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dev", "dev")))
        .endpointOverride(endpoint)
        .httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
            .apiCallTimeout(Duration.ofSeconds(3)).apiCallAttemptTimeout(Duration.ofSeconds(1)))
        .build();
  }

  /** Creates the table when missing and waits until it is active. */
  void createTable() {
    // a busy engine may miss the 1 s attempt timeout: ask again until the table is there
    io.webstore.testing.Deadline.await("table " + TABLE + " active", Duration.ofSeconds(60), () -> {
      try {
        return dynamo.describeTable(d -> d.tableName(TABLE)).join().table().tableStatus() == TableStatus.ACTIVE;
      } catch (RuntimeException missingOrSlow) {
        try {
          dynamo.createTable(create -> create.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(AttributeDefinition.builder().attributeName("owner")
                  .attributeType(ScalarAttributeType.S).build())
              .keySchema(KeySchemaElement.builder().attributeName("owner").keyType(KeyType.HASH).build())).join();
        } catch (RuntimeException createdMeanwhileOrSlow) {
          // ResourceInUse or a timeout: the next describe tells
        }
        return false;
      }
    });
  }

  /** {@code concurrency} loops of conditional puts for {@code duration}. Blocks the calling (non-event-loop) thread. */
  Outcome run(int concurrency, Duration duration) {
    return run(concurrency, duration, this::put);
  }

  /**
   * {@code concurrency} loops of consistent {@code GetItem}s of items this instance put before, for {@code duration}.
   * Blocks the calling (non-event-loop) thread.
   */
  Outcome runReads(int concurrency, Duration duration) {
    long written = keys.get();
    if (written == 0) {
      throw new IllegalStateException("runReads reads what run wrote: run it first");
    }
    return run(concurrency, duration, () -> dynamo.getItem(get -> get.tableName(TABLE).consistentRead(true)
        .key(Map.of("owner", AttributeValue.fromS(keyPrefix
            + (1 + java.util.concurrent.ThreadLocalRandom.current().nextLong(written)))))));
  }

  private CompletableFuture<?> put() {
    return dynamo.putItem(put -> put.tableName(TABLE).item(cartItem(keyPrefix + keys.incrementAndGet()))
        .conditionExpression("attribute_not_exists(#owner) OR #version = :read")
        .expressionAttributeNames(Map.of("#owner", "owner", "#version", "version"))
        .expressionAttributeValues(Map.of(":read", AttributeValue.fromN("0"))));
  }

  private Outcome run(int concurrency, Duration duration, java.util.function.Supplier<CompletableFuture<?>> call) {
    Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
    AtomicLong completed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    firstFailure.set(null);
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    CompletableFuture<?>[] loops = new CompletableFuture<?>[concurrency];
    for (int i = 0; i < concurrency; i++) {
      CompletableFuture<Void> loop = new CompletableFuture<>();
      next(call, end, latency, completed, failed, loop);
      loops[i] = loop;
    }
    CompletableFuture.allOf(loops).join();
    long elapsed = System.nanoTime() - start;
    return new Outcome(duration.toNanos() / 1e9, completed.get(), failed.get(), firstFailure.get(), latency,
        (processCpuNanos() - cpuBefore) / (double) elapsed);
  }

  private void next(java.util.function.Supplier<CompletableFuture<?>> call, long end, Histogram latency,
      AtomicLong completed, AtomicLong failed, CompletableFuture<Void> loop) {
    long sent = System.nanoTime();
    if (sent >= end) {
      loop.complete(null);
      return;
    }
    call.get()
        .whenComplete((done, err) -> {
          long now = System.nanoTime();
          if (err == null) {
            if (now <= end) {
              completed.incrementAndGet();
            }
            latency.recordValue(Math.max(1, (now - sent) / 1000));
          } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, (err.getCause() == null ? err : err.getCause()).toString());
          }
          next(call, end, latency, completed, failed, loop);
        });
  }

  private static Map<String, AttributeValue> cartItem(String owner) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("owner", AttributeValue.fromS(owner));
    item.put("lines", AttributeValue.fromL(List.of(line("SKU-AUT-003", 1), line("SKU-AUT-004", 2),
        line("SKU-HOM-007", 1))));
    item.put("version", AttributeValue.fromN("1"));
    item.put("updated_at", AttributeValue.fromS(Instant.now().toString()));
    item.put("expires_at", AttributeValue.fromN(Long.toString(Instant.now().plus(Duration.ofDays(30))
        .getEpochSecond())));
    item.put("write_id", AttributeValue.fromS(UUID.randomUUID().toString()));
    return item;
  }

  private static AttributeValue line(String sku, int quantity) {
    return AttributeValue.fromM(Map.of("sku", AttributeValue.fromS(sku),
        "quantity", AttributeValue.fromN(Integer.toString(quantity))));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public void close() {
    dynamo.close();
    http.close();
  }
}
