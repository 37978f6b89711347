package io.webstore.dev;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines webstore talks to, on loopback, for dev runs and tests, without Docker:
 * DynamoDB (dynalite, a Node child process), SQS (ElasticMQ, in this JVM), Kafka (single-node KRaft,
 * in this JVM), Redis (embedded-redis's redis-server, a child process) and EventBridge ({@link EventBridgeEndpoint},
 * in this JVM, forwarding other services' events to the inbound queue on ElasticMQ).
 *
 * <p>Child processes die with this JVM, also on {@code kill -9}. Blocking: call {@link #start} and
 * {@link #close} from a main or test thread, never from a Vert.x event loop.
 */
public final class DevServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevServices.class);

  private static final long STOP_TIMEOUT_SECONDS = 10;

  /**
   * What to start.
   *
   * @param dynamoDataDir where DynamoDB tables are kept across runs; null keeps them in memory
   * @param projectDir the project root, holding {@code dev/}; null means the working directory
   */
  public record Options(Path dynamoDataDir, Path projectDir) {

    public Options {
      projectDir = projectDir == null ? Path.of("") : projectDir;
    }

    /** Tables in memory, gone when the engines stop: for tests. */
    public static Options inMemory() {
      return new Options(null, Path.of(""));
    }

    /** Tables kept in {@code dataDir} across runs: for a dev server. One dev server per directory. */
    public static Options persistent(Path dataDir) {
      return new Options(Objects.requireNonNull(dataDir, "dataDir"), Path.of(""));
    }
  }

  /**
   * Where the engines listen; all on 127.0.0.1.
   *
   * @param dynamo the DynamoDB endpoint for {@code endpointOverride}
   * @param sqs the SQS endpoint for {@code endpointOverride}
   * @param kafkaBootstrap Kafka's {@code bootstrap.servers}
   * @param redis the Redis connection string, {@code redis://127.0.0.1:<port>}
   * @param eventBridge the EventBridge endpoint for {@code endpointOverride}
   */
  public record Endpoints(URI dynamo, URI sqs, String kafkaBootstrap, String redis, URI eventBridge) {}

  private final DynaliteServer dynamo;
  private final ElasticMqServer sqs;
  private final KafkaServer kafka;
  private final EmbeddedRedis redis;
  private final EventBridgeEndpoint eventBridge;
  private final Path workDir;
  private final Endpoints endpoints;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private DevServices(DynaliteServer dynamo, ElasticMqServer sqs, KafkaServer kafka, EmbeddedRedis redis,
      EventBridgeEndpoint eventBridge, Path workDir, Duration startupTime) {
    this.dynamo = dynamo;
    this.sqs = sqs;
    this.kafka = kafka;
    this.redis = redis;
    this.eventBridge = eventBridge;
    this.workDir = workDir;
    this.startupTime = startupTime;
    this.endpoints = new Endpoints(dynamo.endpoint(), sqs.endpoint(), kafka.bootstrapServers(), redis.uri(),
        eventBridge.endpoint());
    this.shutdownHook = new Thread(this::close, "devservices-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts all engines in parallel on free loopback ports (EventBridge once SQS is up, since it forwards there);
   * blocks the calling (non-event-loop) thread until all are ready. If one fails, stops the others and throws.
   */
  public static DevServices start(Options options) {
    long started = System.nanoTime();
    Path workDir = WorkDir.create();
    ExecutorService starters = Executors.newFixedThreadPool(4, daemonThreads("devservices-start"));
    try {
      var dynamo = CompletableFuture.supplyAsync(
          () -> DynaliteServer.start(options.projectDir().resolve("dev"), options.dynamoDataDir()), starters);
      var sqs = CompletableFuture.supplyAsync(ElasticMqServer::start, starters);
      var eventBridge = sqs.thenApplyAsync(
          elasticMq -> EventBridgeEndpoint.start(elasticMq.endpoint(), EventBridgeEndpoint.INBOUND_QUEUE), starters);
      var kafka = CompletableFuture.supplyAsync(() -> KafkaServer.start(workDir.resolve("kafka")), starters);
      var redis = CompletableFuture.supplyAsync(() -> EmbeddedRedis.start(workDir.resolve("redis")), starters);
      List<Throwable> failures = new ArrayList<>();
      for (CompletableFuture<?> engine : List.of(dynamo, sqs, kafka, redis, eventBridge)) {
        try {
          engine.join(); // each engine bounds its own start-up
        } catch (CompletionException e) {
          failures.add(e.getCause());
        }
      }
      if (!failures.isEmpty()) {
        stopStarted(dynamo, DynaliteServer::stop);
        stopStarted(sqs, ElasticMqServer::stop);
        stopStarted(kafka, KafkaServer::stop);
        stopStarted(redis, EmbeddedRedis::stopServer);
        stopStarted(eventBridge, EventBridgeEndpoint::stop);
        WorkDir.delete(workDir);
        IllegalStateException failure = new IllegalStateException(
            "devservices.failed " + failures.size() + " of 5 engines did not start: " + failures.get(0).getMessage(),
            failures.get(0));
        failures.stream().skip(1).forEach(failure::addSuppressed);
        throw failure;
      }
      Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
      DevServices services = new DevServices(dynamo.join(), sqs.join(), kafka.join(), redis.join(),
          eventBridge.join(), workDir, startupTime);
      Endpoints endpoints = services.endpoints();
      log.info("devservices.ready dynamo={} sqs={} kafka={} redis={} eventbridge={} in {} ms", endpoints.dynamo(),
          endpoints.sqs(), endpoints.kafkaBootstrap(), endpoints.redis(), endpoints.eventBridge(),
          startupTime.toMillis());
      return services;
    } finally {
      starters.shutdown();
    }
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** The EventBridge endpoint: what it received, and the faults it is told to inject. */
  public EventBridgeEndpoint eventBridge() {
    return eventBridge;
  }

  /** Stops the Redis server (the port stays reserved) so tests can observe a dependency outage. */
  public void stopRedis() {
    redis.stopServer();
  }

  /** Starts Redis again on the same port. */
  public void startRedis() {
    redis.startServer();
  }

  /** How long {@link #start} took. */
  public Duration startupTime() {
    return startupTime;
  }

  /** The dynalite Node process, for tests that check it dies with this JVM. */
  long dynamoPid() {
    return dynamo.pid();
  }

  /** The running redis-server process, or -1 while stopped. */
  long redisPid() {
    return redis.pid();
  }

  /** Stops all engines in parallel, each within seconds; idempotent. Also runs at JVM shutdown. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting and runs the hook, which returns at once: closed is set
      }
    }
    long stopping = System.nanoTime();
    ExecutorService stoppers = Executors.newFixedThreadPool(5, daemonThreads("devservices-stop"));
    try {
      CompletableFuture<?>[] stops = {
          CompletableFuture.runAsync(() -> stopLogged("eventbridge", eventBridge::stop), stoppers),
          CompletableFuture.runAsync(() -> stopLogged("dynamo", dynamo::stop), stoppers),
          CompletableFuture.runAsync(() -> stopLogged("sqs", sqs::stop), stoppers),
          CompletableFuture.runAsync(() -> stopLogged("kafka", kafka::stop), stoppers),
          CompletableFuture.runAsync(() -> stopLogged("redis", redis::stopServer), stoppers)};
      CompletableFuture.allOf(stops).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("devservices.stop.slow some engines did not stop within {} s: {}", STOP_TIMEOUT_SECONDS, e.toString());
    } finally {
      stoppers.shutdownNow();
    }
    WorkDir.delete(workDir);
    log.info("devservices.stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
  }

  private static void stopLogged(String engine, Runnable stop) {
    try {
      stop.run();
    } catch (RuntimeException e) {
      log.warn("devservices.stop.failed engine={} error={}", engine, e.toString());
    }
  }

  private static <T> void stopStarted(CompletableFuture<T> engine, Consumer<T> stop) {
    if (!engine.isCompletedExceptionally()) {
      stopLogged(engine.join().getClass().getSimpleName(), () -> stop.accept(engine.join()));
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
