package io.webstore.fraud;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.webstore.platform.config.RuntimeSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The local fraud scorer's latency per score ({@code make bench-fraud}): {@link FraudScoring#score} as the verticle
 * runs it (on a Vert.x context; one velocity script in a real redis-server on loopback, then the logistic model of
 * conf/runtime.json), and the model alone. Sample time, so JMH reports p50, p99, p99.9 per call. Four threads, each
 * asking again as soon as it has its score: a closed loop, so the rate is as high as the machine allows (above the few
 * thousand logins and payments per second one instance sees in a flash sale). Accounts, addresses and cards vary over
 * pools of thousands.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(4)
public class LocalScorerBenchmark {

  private RedisServer server;
  private Vertx vertx;
  private Redis redis;
  private Context context;
  private FraudScoring scoring;
  private Signals signals;

  @Setup(Level.Trial)
  public void start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path binaries = Files.createTempDirectory("bench-redis");
    server = RedisServer.newRedisServer()
        .executableProvider(ExecutableProvider.newJarResourceProvider(binaries.toFile()))
        .port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no")
        .build();
    server.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)
        .setMaxPoolSize(8).setMaxPoolWaiting(1024));
    RuntimeSettings settings = RuntimeSettings.from(new JsonObject(Files.readString(Path.of("conf/runtime.json"))),
        "conf/runtime.json");
    context = vertx.getOrCreateContext();
    Velocity velocity = RedisVelocity.create(vertx, RedisAPI.api(redis), Duration.ofSeconds(1),
        Duration.ofMinutes(1), Duration.ofHours(1)).toCompletionStage().toCompletableFuture().get();
    scoring = new FraudScoring(velocity, Optional.empty(), Map.of(), 300, new SimpleMeterRegistry(),
        settings.fraud());
    signals = Signals.of(request(ThreadLocalRandom.current()), new Signals.Counts(3, 12, 2, 0, 2, 1, 0, 4,
        new BigDecimal("180.00")), Instant.now(), false);
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    server.stop();
  }

  private static FraudRequest request(ThreadLocalRandom random) {
    String account = "c-" + random.nextInt(10_000);
    String ip = "10.0." + random.nextInt(16) + "." + random.nextInt(256);
    return FraudRequest.payment(account, ip, null, new BigDecimal(10 + random.nextInt(200) + ".90"), "EUR")
        .withCountries("DE", random.nextInt(20) == 0 ? "FR" : "DE");
  }

  @Benchmark
  public FraudVerdict paymentScore() throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    FraudRequest request = request(random);
    Velocity.Subjects subjects = new Velocity.Subjects(FraudEvent.PAYMENT, request.account(), null, request.ip(),
        "d-" + random.nextInt(20_000), "card-" + random.nextInt(30_000), request.amount().toPlainString(), "EUR");
    CompletableFuture<FraudVerdict> verdict = new CompletableFuture<>();
    context.runOnContext(go -> scoring.score(request, subjects).onComplete(done -> {
      if (done.succeeded()) {
        verdict.complete(done.result());
      } else {
        verdict.completeExceptionally(done.cause());
      }
    }));
    return verdict.get(5, TimeUnit.SECONDS);
  }

  @Benchmark
  public FraudVerdict modelOnly() {
    return scoring.local(FraudEvent.PAYMENT, signals, FraudScoring.LOCAL, java.util.List.of());
  }
}
