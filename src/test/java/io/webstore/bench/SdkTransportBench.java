package io.webstore.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.webstore.dev.DevServices;
import io.webstore.platform.aws.VertxSdkHttpClient;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;

/**
 * {@code make bench-sdk}: the AWS SDK's async HTTP transports side by side on the dev DynamoDB engine, in one run and
 * one JVM: Netty NIO (the SDK's default), AWS CRT, and {@link VertxSdkHttpClient} (the store's event loops). Each does
 * conditional {@code PutItem}s of a cart-sized item, then consistent {@code GetItem}s of them, with the same number of
 * calls always in flight, after a warm-up. Prints one {@code RESULT} line per transport and operation with the
 * calls/s, latency and this JVM's CPU per 1,000 calls (the engine runs in its own process, so the CPU is the
 * transport's and the SDK's). The engine is single-threaded and is usually the ceiling: the CPU column is what tells the
 * transports apart.
 */
public final class SdkTransportBench {

  private SdkTransportBench() {}

  public static void main(String[] args) throws Exception {
    int concurrency = Integer.getInteger("bench.connections", 64);
    Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup", 5));
    Duration measure = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    int rounds = Integer.getInteger("bench.runs", 2);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Map<String, Function<Integer, SdkAsyncHttpClient>> transports = new LinkedHashMap<>();
    transports.put("netty", n -> NettyNioAsyncHttpClient.builder().maxConcurrency(n)
        .connectionTimeout(Duration.ofSeconds(1)).build());
    transports.put("crt", n -> AwsCrtAsyncHttpClient.builder().maxConcurrency(n)
        .connectionTimeout(Duration.ofSeconds(1)).build());
    transports.put("vertx", n -> new VertxSdkHttpClient(vertx, n, Duration.ofSeconds(1), Duration.ofSeconds(3)));
    List<String> results = new ArrayList<>();
    try (DevServices services = DevServices.start(DevServices.Options.inMemory())) {
      System.err.printf("==> dev DynamoDB at %s; %d calls in flight, %d s warm-up, %d × %d s per transport%n",
          services.endpoints().dynamo(), concurrency, warmup.toSeconds(), rounds, measure.toSeconds());
      for (int round = 1; round <= rounds; round++) {
        for (Map.Entry<String, Function<Integer, SdkAsyncHttpClient>> transport : transports.entrySet()) {
          try (RawWrites raw = new RawWrites(services.endpoints().dynamo(), transport.getValue().apply(concurrency))) {
            if (round == 1 && transport.getKey().equals("netty")) {
              raw.createTable();
            }
            raw.run(concurrency, warmup);
            report(results, round, transport.getKey(), "put_item", raw.run(concurrency, measure));
            raw.runReads(concurrency, warmup);
            report(results, round, transport.getKey(), "get_item", raw.runReads(concurrency, measure));
          }
        }
      }
    } finally {
      Engines.await(vertx.close());
    }
    System.out.println();
    results.forEach(System.out::println);
    System.exit(0);
  }

  private static void report(List<String> results, int round, String transport, String operation,
      RawWrites.Outcome outcome) {
    double cpuMsPerThousand = outcome.generatorCpuCores() * outcome.seconds() * 1000 / outcome.completed() * 1000;
    String line = String.format("RESULT round=%d transport=%s op=%s rps=%.0f p50_ms=%.2f p99_ms=%.2f failed=%d"
            + " client_cpu_ms_per_1000=%.1f", round, transport, operation, outcome.rps(),
        outcome.latency().getValueAtPercentile(50) / 1000.0, outcome.latency().getValueAtPercentile(99) / 1000.0,
        outcome.failed(), cpuMsPerThousand);
    System.out.println(line);
    results.add(line);
  }
}
