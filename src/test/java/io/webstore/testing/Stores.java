package io.webstore.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.webstore.WebStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores and clients that a test starts for itself (another config, a second instance) and that
 * {@link EnginesExtension} closes when the test's scope ends: after the class when the parameter was given to a
 * {@code @BeforeAll} method, after the test when given to a test method. Clients close first, then the stores stop
 * together. Blocking, like {@link Engines}: called from JUnit threads only.
 */
public final class Stores implements AutoCloseable {

  private final Engines engines;
  private final List<WebStore> started = new ArrayList<>();
  private final List<Api> clients = new ArrayList<>();
  private Vertx racers;

  Stores(Engines engines) {
    this.engines = engines;
  }

  /** Starts a store on the shared engines with these overrides on top of {@link Engines#overrides()}. */
  public synchronized WebStore start(JsonObject extraOverrides) {
    WebStore store = engines.startStore(extraOverrides);
    started.add(store);
    return store;
  }

  /** A client of {@code store}, closed with this scope. */
  public synchronized Api api(WebStore store) {
    Api api = new Api(store);
    clients.add(api);
    return api;
  }

  /**
   * A contract-checked client for races: keep-alive, up to {@code connections} connections per store, on a Vert.x of
   * this scope's own (so racing requests do not queue behind another client's pool), closed with this scope.
   */
  public synchronized WebClient client(int connections) {
    if (racers == null) {
      racers = Vertx.vertx();
    }
    return ContractCheck.client(racers, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  @Override
  public synchronized void close() {
    clients.forEach(Api::close);
    clients.clear();
    if (racers != null) {
      Engines.await(racers.close());
      racers = null;
    }
    List<Future<Void>> stops = started.stream().map(WebStore::stop).toList();
    started.clear();
    Engines.await(Future.join(stops), Duration.ofSeconds(60));
  }
}
