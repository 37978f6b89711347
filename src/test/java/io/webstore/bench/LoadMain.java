package io.webstore.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./mvnw -q exec:java -Ddev.main.class=io.webstore.bench.LoadMain} (after {@code test-compile}; {@code make load}
 * runs the Gatling simulations of {@code load/} instead): starts in-memory engines and a store with demo data in this JVM, then measures, one after the
 * other with the same closed-loop client, a bare Vert.x server answering a fixed product document (the ceiling),
 * product reads, add-to-cart and sold-out answers. Traffic stays on 127.0.0.1; every run is bounded in time.
 * Numbers are for comparing within one run on one machine, not absolute.
 */
public final class LoadMain {

  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    int connections = Integer.getInteger("load.connections", 32);
    Duration duration = Duration.ofSeconds(Long.getLong("load.seconds", 10));
    // limits no load reaches: this measures the per-request path (the limiter still runs on every request)
    LoadStore stores = LoadStore.start(System.getProperty("load.runtimeFile", "src/test/resources/runtime-test.json"),
        true);
    WebStore store = stores.store();
    Vertx vertx = Vertx.vertx();
    List<LoadClient.Result> results = new ArrayList<>();
    try (Api api = new Api(store)) {
      String admin = api.tokenFor("load-admin", "admin@webstore.local", List.of("admin"));
      String hotSku = "SKU-AUT-001";
      String soldOut = "SKU-AUT-002";
      api.call(HttpMethod.PUT, "/api/v1/admin/inventory/" + soldOut, admin, new JsonObject().put("on_hand", 0));
      Buffer document = api.get("/api/v1/products/" + hotSku, null).body();

      HttpServer bare = Engines.await(vertx.createHttpServer()
          .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
              .end(document))
          .listen(0, "127.0.0.1"));
      results.add(Engines.await(LoadClient.run(vertx, "bare Vert.x ceiling", bare.actualPort(), connections,
          duration, i -> LoadClient.Shot.get("/api/v1/products/" + hotSku)), duration.plusMinutes(1)));
      results.add(Engines.await(LoadClient.run(vertx, "product read (hot SKU)", store.port(), connections,
          duration, i -> LoadClient.Shot.get("/api/v1/products/" + hotSku)), duration.plusMinutes(1)));

      List<String> sessions = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        sessions.add(api.get("/api/v1/cart", null).getHeader("X-Session-Id"));
      }
      List<String> skus = new ArrayList<>();
      for (int i = 3; i <= 42; i++) {
        skus.add(String.format("SKU-AUT-%03d", i));
      }
      results.add(Engines.await(LoadClient.run(vertx, "add to cart (guest)", store.port(), connections, duration,
          i -> new LoadClient.Shot(HttpMethod.POST, "/api/v1/cart/items",
              Map.of("Content-Type", "application/json", "X-Session-Id", sessions.get(i % sessions.size())),
              new JsonObject().put("sku", skus.get((i / sessions.size()) % skus.size())).put("quantity", 1)
                  .toBuffer())), duration.plusMinutes(1)));
      results.add(Engines.await(LoadClient.run(vertx, "add sold-out SKU (409)", store.port(), connections,
          duration, i -> new LoadClient.Shot(HttpMethod.POST, "/api/v1/cart/items",
              Map.of("Content-Type", "application/json", "X-Session-Id", sessions.get(i % sessions.size())),
              new JsonObject().put("sku", soldOut).put("quantity", 1).toBuffer())), duration.plusMinutes(1)));
      Engines.await(bare.close());
    } finally {
      System.out.println();
      System.out.println("load: " + connections + " connections, " + duration.toSeconds() + " s each, "
          + Runtime.getRuntime().availableProcessors() + " cores (client, store and engines share them)");
      results.forEach(System.out::println);
      if (results.size() >= 2) {
        System.out.printf("product reads reach %.0f%% of the bare Vert.x ceiling%n",
            100 * results.get(1).perSecond() / results.get(0).perSecond());
      }
      Engines.await(vertx.close(), Duration.ofMinutes(1));
      stores.close();
      System.exit(0);
    }
  }
}
