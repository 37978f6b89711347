package io.webstore.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A small closed-loop HTTP load client on Vert.x: {@code connections} loops, each sending its next request as soon as
 * the previous answer arrives, for a fixed duration, to a server on this machine. Reports throughput, latency
 * percentiles and status counts. Bounded in time by construction.
 */
public final class LoadClient {

  /** One request to send: method, path, headers and an optional body. */
  public record Shot(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    public static Shot get(String path) {
      return new Shot(HttpMethod.GET, path, Map.of(), null);
    }
  }

  /** What a run measured. */
  public record Result(String name, long requests, double seconds, Map<Integer, Long> statuses, long p50Micros,
      long p99Micros, long maxMicros) {
    public double perSecond() {
      return requests / seconds;
    }

    @Override
    public String toString() {
      return String.format("%-28s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  statuses %s", name,
          perSecond(), p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0, statuses);
    }
  }

  private LoadClient() {}

  /**
   * Runs {@code connections} closed loops against {@code port} for {@code duration}; {@code shots} gives the i-th
   * request of a run (so each loop can vary ids).
   */
  public static Future<Result> run(Vertx vertx, String name, int port, int connections, Duration duration,
      IntFunction<Shot> shots) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setDefaultHost("127.0.0.1").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(connections));
    long[] latencies = new long[4_000_000];
    AtomicLong count = new AtomicLong();
    Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Promise<Result> done = Promise.promise();
    long start = System.nanoTime();
    AtomicLong activeLoops = new AtomicLong(connections);
    vertx.setTimer(duration.toMillis(), timer -> running.set(false));
    for (int loop = 0; loop < connections; loop++) {
      next(client, shots, count, latencies, statuses, running, () -> {
        if (activeLoops.decrementAndGet() == 0) {
          double seconds = (System.nanoTime() - start) / 1e9;
          int n = (int) Math.min(count.get(), latencies.length);
          long[] sorted = Arrays.copyOf(latencies, n);
          Arrays.sort(sorted);
          Map<Integer, Long> byStatus = new TreeMap<>();
          statuses.forEach((status, c) -> byStatus.put(status, c.get()));
          client.close();
          done.complete(new Result(name, n, seconds, byStatus, percentile(sorted, 0.50), percentile(sorted, 0.99),
              n == 0 ? 0 : sorted[n - 1]));
        }
      });
    }
    return done.future();
  }

  private static void next(HttpClient client, IntFunction<Shot> shots, AtomicLong count, long[] latencies,
      Map<Integer, AtomicLong> statuses, AtomicBoolean running, Runnable finished) {
    if (!running.get()) {
      finished.run();
      return;
    }
    Shot shot = shots.apply((int) count.get());
    long sent = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(shot.method()).setURI(shot.path());
    shot.headers().forEach(options::putHeader);
    client.request(options)
        .compose(request -> shot.body() == null ? request.send() : request.send(shot.body()))
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(result -> {
          long index = count.getAndIncrement();
          if (index < latencies.length) {
            latencies[(int) index] = (System.nanoTime() - sent) / 1000;
          }
          int status = result.succeeded() ? result.result() : -1;
          statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
          next(client, shots, count, latencies, statuses, running, finished);
        });
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
