package io.webstore.testing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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

  @Override
  public synchronized void close() {
    clients.forEach(Api::close);
    clients.clear();
    List<Future<Void>> stops = started.stream().map(WebStore::stop).toList();
    started.clear();
    Engines.await(Future.join(stops), Duration.ofSeconds(60));
  }
}
