package io.webstore.testing;

import io.vertx.core.json.JsonObject;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.dev.CognitoLocalServer;
import io.webstore.dev.DevServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one test fixture: starts the dev engines once per test JVM, and one shared store on them. Tests make their own
 * ids, so they never depend on each other and never need cleanup. Blocking methods here are called from JUnit
 * threads, never from an event loop.
 */
public final class Engines {

  /** Password of the dev admin account in tests. */
  public static final String ADMIN_PASSWORD = "Admin-test-password-1";
  public static final String ADMIN_EMAIL = "admin@webstore.local";

  private static Engines shared;

  private final DevServices devServices;
  private WebStore store;
  private CognitoLocalServer cognito;
  private CognitoLocalServer.Pool cognitoPool;

  private Engines(DevServices devServices) {
    this.devServices = devServices;
  }

  public static synchronized Engines shared() {
    if (shared == null) {
      shared = new Engines(DevServices.start(DevServices.Options.inMemory()));
      Runtime.getRuntime().addShutdownHook(new Thread(shared::shutdown, "engines-stop"));
    }
    return shared;
  }

  public DevServices devServices() {
    return devServices;
  }

  /**
   * cognito-local, started on first use (only the tests that need it pay for it) in a working directory under {@code
   * target/}, with its pool, app clients, admin group and the admin account ({@link #ADMIN_PASSWORD}) provisioned.
   */
  public synchronized CognitoLocalServer cognito() {
    if (cognito == null) {
      CognitoLocalServer started = CognitoLocalServer.start(Path.of("dev"), Path.of("target", "cognito-local",
          ProcessHandle.current().pid() + "-" + System.nanoTime()), true);
      try {
        cognitoPool = started.provision(ADMIN_EMAIL, ADMIN_PASSWORD);
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
      cognito = started;
    }
    return cognito;
  }

  /** The pool {@link #cognito()} provisioned. */
  public synchronized CognitoLocalServer.Pool cognitoPool() {
    cognito();
    return cognitoPool;
  }

  /** The shared store (started on first use), with the dev profile on the shared engines. */
  public synchronized WebStore app() {
    if (store == null) {
      // the one consumer of the inbound event queue in this JVM: stores started by tests leave it alone
      store = startStore(new JsonObject().put("eventbridge", new JsonObject().put("inboundEnabled", true)));
    }
    return store;
  }

  /** Config overrides that point a store at the shared engines, on a free port, with test-friendly timeouts. */
  public JsonObject overrides() {
    DevServices.Endpoints endpoints = devServices.endpoints();
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("instances", 2).put("accessLog", false)
            .put("drainTimeoutMs", 5000)
            // stores stopped by tests need no time for a load balancer to notice (the drain test sets its own)
            .put("shutdownGraceMs", 0)
            // like redis.commandTimeoutMs below: a slow Redis on the loaded machine must not turn a checkout into 503
            .put("rateLimitTimeoutMs", 5000))
        // any free port: several stores (and other builds on this machine) must not fight over the default 9000
        .put("management", new JsonObject().put("port", 0).put("host", "127.0.0.1"))
        .put("aws", new JsonObject()
            .put("dynamodbEndpoint", endpoints.dynamo().toString())
            .put("sqsEndpoint", endpoints.sqs().toString())
            .put("eventbridgeEndpoint", endpoints.eventBridge().toString())
            .put("cognitoEndpoint", endpoints.sqs().toString())
            // generous: the suite shares 2 cores with four engines; a slow answer must not fail a test
            .put("attemptTimeoutMs", 5000)
            .put("apiCallTimeoutMs", 15000)
            .put("maxAttempts", 3))
        // a slow Redis answer on the loaded test machine is not the failure a test is about
        .put("redis", new JsonObject().put("uri", endpoints.redis()).put("commandTimeoutMs", 5000))
        // a cheaper hash (production keeps OWASP's cost) so tests can sign up and log in a thousand buyers
        // and a hashing queue deep enough for the race tests' 100 concurrent sign-ups (PasswordHashingPoolTest
        // proves the shedding with its own store)
        .put("customer", new JsonObject().put("argon2MemoryKib", 1024).put("argon2Iterations", 1)
            .put("hashingQueue", 1000))
        .put("kafka", new JsonObject().put("bootstrapServers", endpoints.kafkaBootstrap()))
        // short long polls (a store stops without waiting for one), and a malformed inbound message moves to the
        // dead-letter queue within seconds; only the shared store consumes the inbound queue (see app())
        .put("eventbridge", new JsonObject().put("inboundEnabled", false).put("inboundWaitSeconds", 1)
            .put("inboundRetrySeconds", 0).put("inboundMaxReceives", 3))
        .put("admin", new JsonObject().put("password", ADMIN_PASSWORD))
        // rate limits far above what any test sends from its one address (the races sign up, log in and check out
        // a thousand buyers from 127.0.0.1); RateLimitHttpTest starts its own store with tiny limits
        .put("runtime", new JsonObject().put("file", "src/test/resources/runtime-test.json"))
        .put("demo", new JsonObject().put("enabled", false))
        // events leave only from the stores of the events tests, each to a queue and topic of its own: the shared
        // store and the other tests' stores keep their outboxes (their items stay pending) and poll no status queue
        .put("events", new JsonObject().put("relayEnabled", false).put("statusConsumerEnabled", false))
        // feeds are read only by the stores of the feed tests, each from topics and groups of its own
        .put("feeds", new JsonObject().put("enabled", false));
  }

  /** Starts a separate store (for tests that stop it or change its config); the caller stops it. */
  public WebStore startStore(JsonObject extraOverrides) {
    WebStore store = await(WebStore.start(Path.of("conf"), Map.of("WEBSTORE_PROFILE", "dev"),
        overrides().mergeIn(extraOverrides, true), Features.all()));
    BusContract.shared().watch(store.vertx());
    return store;
  }

  public static <T> T await(io.vertx.core.Future<T> future) {
    return await(future, Duration.ofSeconds(60));
  }

  public static <T> T await(io.vertx.core.Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The failure of {@code future}; an {@link AssertionError} when it succeeds or does not fail in {@code timeout}. */
  public static Throwable awaitFailure(io.vertx.core.Future<?> future, Duration timeout) {
    try {
      future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no answer within " + timeout, e);
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  private synchronized void shutdown() {
    if (store != null) {
      try {
        await(store.stop(), Duration.ofSeconds(15));
      } catch (RuntimeException ignored) {
        // the JVM is exiting; the engines below are stopped regardless
      }
    }
    if (cognito != null) {
      cognito.close();
    }
    devServices.close();
  }
}
