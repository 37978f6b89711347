package io.webstore.bench;

import io.vertx.core.json.JsonObject;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.dev.DevServices;
import io.webstore.testing.Engines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** In-memory engines and one store on them, for the load commands; {@link #close()} stops both. */
final class LoadStore implements AutoCloseable {

  private final DevServices engines;
  private final WebStore store;

  private LoadStore(DevServices engines, WebStore store) {
    this.engines = engines;
    this.store = store;
  }

  /**
   * Starts engines and a store with {@code runtimeFile} as its runtime settings (rate limits) when given; demo data
   * as {@code demo} says. Exits the JVM, engines stopped, when the store does not start.
   */
  static LoadStore start(String runtimeFile, boolean demo) {
    return start(runtimeFile, demo, new JsonObject());
  }

  /** As {@link #start(String, boolean)}, with {@code extra} merged over the overrides (deeply). */
  static LoadStore start(String runtimeFile, boolean demo, JsonObject extra) {
    DevServices engines = DevServices.start(DevServices.Options.inMemory());
    DevServices.Endpoints endpoints = engines.endpoints();
    JsonObject overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("accessLog", false))
        .put("management", new JsonObject().put("port", 0))
        // client, store and engines share this machine's cores: a slow engine answer is not what this measures
        .put("aws", new JsonObject().put("dynamodbEndpoint", endpoints.dynamo().toString())
            .put("sqsEndpoint", endpoints.sqs().toString())
            .put("eventbridgeEndpoint", endpoints.eventBridge().toString()).put("attemptTimeoutMs", 5000)
            .put("apiCallTimeoutMs", 15000))
        .put("redis", new JsonObject().put("uri", endpoints.redis()))
        .put("kafka", new JsonObject().put("bootstrapServers", endpoints.kafkaBootstrap()))
        .put("admin", new JsonObject().put("password", "Load-test-admin-1"))
        .put("demo", new JsonObject().put("enabled", demo));
    if (runtimeFile != null) {
      overrides.put("runtime", new JsonObject().put("file", runtimeFile));
    }
    overrides.mergeIn(extra, true);
    try {
      return new LoadStore(engines, Engines.await(WebStore.start(Path.of("conf"), Map.of("WEBSTORE_PROFILE", "dev"),
          overrides, Features.all()), Duration.ofMinutes(3)));
    } catch (RuntimeException e) {
      System.out.println("load: the store did not start: " + e.getMessage());
      engines.close();
      System.exit(1);
      throw e;
    }
  }

  WebStore store() {
    return store;
  }

  DevServices.Endpoints endpoints() {
    return engines.endpoints();
  }

  @Override
  public void close() {
    Engines.await(store.stop(), Duration.ofMinutes(1));
    engines.close();
  }
}
