package io.webstore.dev;

import io.vertx.core.json.JsonObject;
import io.webstore.Features;
import io.webstore.WebStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code make run}: starts the dev engines (DynamoDB data kept under {@code data/dynamo}, so a restart keeps orders),
 * then the store on them with the dev profile and demo data, and prints where everything is. Ctrl-C (or SIGTERM)
 * drains the store and stops every engine it started. While the store runs, {@link DevEnginesFile#DEFAULT} tells the
 * project's other commands ({@code make feed}) where the engines listen.
 */
public final class DevMain {

  private static final Logger log = LoggerFactory.getLogger(DevMain.class);

  private DevMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(System.getProperty("webstore.dataDir", "data/dynamo")).toAbsolutePath();
    System.out.println("webstore dev: starting local engines (DynamoDB data in " + dataDir + ") ...");
    DevServices engines = DevServices.start(DevServices.Options.persistent(dataDir));
    DevServices.Endpoints endpoints = engines.endpoints();
    JsonObject overrides = new JsonObject()
        .put("aws", new JsonObject()
            .put("dynamodbEndpoint", endpoints.dynamo().toString())
            .put("sqsEndpoint", endpoints.sqs().toString())
            .put("eventbridgeEndpoint", endpoints.eventBridge().toString()))
        .put("redis", new JsonObject().put("uri", endpoints.redis()))
        .put("kafka", new JsonObject().put("bootstrapServers", endpoints.kafkaBootstrap()));
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("WEBSTORE_PROFILE", "dev");
    CognitoLocalServer cognito = null;
    if ("cognito".equals(System.getProperty("webstore.auth", "local"))) {
      cognito = startCognito(dataDir.resolveSibling("cognito"), env, overrides);
    }
    CognitoLocalServer startedCognito = cognito;
    System.out.println("webstore dev: engines ready in " + engines.startupTime().toMillis() + " ms; starting the store ...");

    WebStore store;
    try {
      store = WebStore.start(Path.of("conf"), env, overrides, Features.all())
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (startedCognito != null) {
        startedCognito.close();
      }
      engines.close();
      System.err.println("webstore dev: the store did not start: " + rootMessage(e));
      System.exit(1);
      return;
    }

    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stopAll = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      System.out.println("\nwebstore dev: stopping (draining requests, then engines) ...");
      forgetEndpoints();
      try {
        store.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("dev.stop.store_failed {}", e.toString());
      }
      if (startedCognito != null) {
        startedCognito.close();
      }
      engines.close();
      System.out.println("webstore dev: stopped; nothing left running.");
      System.exit(0);
    };
    for (String signal : new String[] {"INT", "TERM"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(stopAll, "dev-stop").start());
    }

    try {
      DevEnginesFile.write(DevEnginesFile.DEFAULT, endpoints, store.port());
    } catch (RuntimeException e) {
      log.warn("dev.engines_file.unwritten {} (make feed will need BOOTSTRAP={})", e.toString(),
          endpoints.kafkaBootstrap());
    }

    String base = "http://localhost:" + store.port();
    System.out.println();
    System.out.println("  webstore is ready: " + base);
    System.out.println("  readiness          " + base + "/health/ready");
    if (store.managementPort().isPresent()) {
      String management = "http://localhost:" + store.managementPort().getAsInt();
      System.out.println("  metrics            " + management + "/metrics   (management port)");
      System.out.println("  readiness details  " + management + "/health/ready");
    } else {
      System.out.println("  metrics            off (management.enabled=false)");
    }
    System.out.println("  OpenAPI contract   " + base + "/openapi.yaml");
    System.out.println("  Kafka (feeds)      " + endpoints.kafkaBootstrap() + "   (make feed finds it through "
        + DevEnginesFile.DEFAULT + ")");
    System.out.println("  admin login        " + store.services().config().admin().email()
        + (System.getenv("WEBSTORE_ADMIN_PASSWORD") != null
            ? " (password from WEBSTORE_ADMIN_PASSWORD)"
            : " (password printed above when generated; set WEBSTORE_ADMIN_PASSWORD to choose it)"));
    System.out.println("  Ctrl-C stops the store and every engine it started.");
    System.out.println();
    Thread.currentThread().join(); // the main thread idles; signals drive the shutdown
  }

  /**
   * {@code make run AUTH=cognito}: cognito-local with its state kept beside the DynamoDB data (so the users and the
   * customers' profiles stay together across restarts), the pool provisioned, and the store pointed at it with
   * auto-confirmed sign-ups. The admin account needs a known password there: {@code WEBSTORE_ADMIN_PASSWORD}.
   */
  private static CognitoLocalServer startCognito(Path stateDir, Map<String, String> env, JsonObject overrides) {
    String adminPassword = env.get("WEBSTORE_ADMIN_PASSWORD");
    if (adminPassword == null || adminPassword.isBlank()) {
      System.err.println("webstore dev: AUTH=cognito needs WEBSTORE_ADMIN_PASSWORD (the admin account's password in"
          + " the local user pool)");
      System.exit(2);
    }
    System.out.println("webstore dev: starting cognito-local (state in " + stateDir + ") ...");
    CognitoLocalServer cognito = CognitoLocalServer.start(Path.of("dev"), stateDir, false);
    CognitoLocalServer.Pool pool = cognito.provision(env.getOrDefault("WEBSTORE_ADMIN_EMAIL",
        "admin@webstore.local"), adminPassword);
    overrides.mergeIn(pool.storeOverrides(false, true), true);
    // tables of their own: profiles made in local mode (the admin's among them) have ids no Cognito user has
    overrides.put("dynamo", new JsonObject().put("tablePrefix", "webstore-dev-cognito-"));
    System.out.println("webstore dev: user pool " + pool.poolId() + " at " + pool.endpoint() + " (app client "
        + pool.publicClientId() + "; sign-ups are confirmed at once)");
    return cognito;
  }

  private static void forgetEndpoints() {
    try {
      DevEnginesFile.delete(DevEnginesFile.DEFAULT);
    } catch (RuntimeException e) {
      log.warn("dev.engines_file.undeleted {}", e.toString());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
