package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Metrics;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's open connections are on {@code /metrics} as {@code vertx_http_server_active_connections}: a connection is
 * counted from the moment it is accepted, request or not, until it closes. On a store of its own, so no other test's
 * clients open or close connections to it meanwhile.
 */
@WebstoreTest
class OpenConnectionsHttpTest {

  static WebStore store;
  static Api api;

  @BeforeAll
  static void start(Stores stores) {
    store = stores.start(new JsonObject());
    api = stores.api(store);
  }

  @Test
  void connectionsAreCountedWhileOpenEvenWithoutARequestAndNoLongerOnceClosed(Vertx vertx) {
    double base = open();
    List<NetSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sockets.add(Engines.await(vertx.createNetClient().connect(store.port(), "localhost")));
    }
    double whileOpen = Deadline.until("5 more open connections counted", Duration.ofSeconds(10), () -> {
      double now = open();
      return now >= base + 5 ? now : null;
    });
    sockets.forEach(socket -> Engines.await(socket.close()));
    Deadline.await("the 5 closed connections no longer counted", Duration.ofSeconds(10),
        () -> open() <= whileOpen - 5);
  }

  private static double open() {
    OptionalDouble gauge = Metrics.sample(Metrics.scrape(api), "vertx_http_server_active_connections");
    assertThat(gauge).as("the gauge is on /metrics").isPresent();
    return gauge.getAsDouble();
  }
}
