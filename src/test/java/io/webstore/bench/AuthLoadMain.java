package io.webstore.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code make load-auth}: a flood of sign-ups, then of logins, each {@code load.seconds} with {@code
 * load.connections} closed loops, against a store with the production password hashing cost, on in-memory engines in
 * this JVM. It prints throughput, latency and the status mix (201/200 served, 503 shed by the hashing pool, 429 over a
 * rate limit). {@code -Dload.runtimeFile=...} points the store at other runtime settings (e.g. limits no flood
 * reaches, to measure the hashing pool alone). Traffic stays on 127.0.0.1; every run is bounded in time.
 */
public final class AuthLoadMain {

  private static final String PASSWORD = "Load-auth-password-1";

  private AuthLoadMain() {}

  public static void main(String[] args) throws Exception {
    int connections = Integer.getInteger("load.connections", 32);
    Duration duration = Duration.ofSeconds(Long.getLong("load.seconds", 10));
    LoadStore stores = LoadStore.start(System.getProperty("load.runtimeFile"), false);
    WebStore store = stores.store();
    Vertx vertx = Vertx.vertx();
    List<LoadClient.Result> results = new ArrayList<>();
    String run = UUID.randomUUID().toString().substring(0, 8);
    try {
      // every shot a new email (a loop's index is not unique while requests are in flight)
      results.add(Engines.await(LoadClient.run(vertx, "sign-up", store.port(), connections, duration,
          i -> post("/api/v1/auth/signup", "flood-" + UUID.randomUUID() + "@example.com")),
          duration.plusMinutes(2)));
      // logins as accounts made beforehand, one at a time (not part of the measurement)
      List<String> accounts = new ArrayList<>();
      try (Api api = new Api(store)) {
        for (int n = 0; n < connections; n++) {
          String email = "login-" + run + "-" + n + "@example.com";
          if (api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
              new JsonObject().put("email", email).put("password", PASSWORD)).statusCode() == 201) {
            accounts.add(email);
          }
        }
      }
      results.add(Engines.await(LoadClient.run(vertx, "login (" + accounts.size() + " accounts)", store.port(),
          connections, duration, i -> post("/api/v1/auth/login", accounts.get(i % accounts.size()))),
          duration.plusMinutes(2)));
    } finally {
      System.out.println();
      System.out.println("load-auth: " + connections + " connections, " + duration.toSeconds() + " s each, "
          + Runtime.getRuntime().availableProcessors() + " cores (client, store and engines share them)");
      results.forEach(System.out::println);
      Engines.await(vertx.close(), Duration.ofMinutes(1));
      stores.close();
      System.exit(0);
    }
  }

  private static LoadClient.Shot post(String path, String email) {
    return new LoadClient.Shot(HttpMethod.POST, path, Map.of("Content-Type", "application/json"),
        new JsonObject().put("email", email).put("password", PASSWORD).toBuffer());
  }
}
