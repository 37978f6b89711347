package io.webstore.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store reaches Redis over TLS ({@code rediss://}, as ElastiCache with in-transit encryption needs) and checks the
 * server's name: a TLS front, with a certificate for {@code localhost} from a CA the store is told to trust, stands
 * before the shared embedded Redis and passes the decrypted bytes through.
 */
@WebstoreTest
class RedisTlsTest {

  private static Vertx vertx;
  private static SelfSignedCertificate certificate;
  private static NetServer front;
  private static final AtomicInteger tlsConnections = new AtomicInteger();

  @BeforeAll
  static void startTlsFront(Engines engines) {
    vertx = Vertx.vertx();
    certificate = SelfSignedCertificate.create("localhost");
    URI redis = URI.create(engines.devServices().endpoints().redis());
    NetClient toRedis = vertx.createNetClient();
    front = Engines.await(vertx.createNetServer(new NetServerOptions().setSsl(true)
            .setKeyCertOptions(certificate.keyCertOptions()))
        .connectHandler(client -> {
          tlsConnections.incrementAndGet();
          client.pause();
          toRedis.connect(SocketAddress.inetSocketAddress(redis.getPort(), redis.getHost()))
              .onSuccess(server -> {
                pipe(client, server);
                pipe(server, client);
                client.resume();
              })
              .onFailure(err -> client.close());
        })
        .listen(0, "127.0.0.1"));
  }

  private static void pipe(NetSocket from, NetSocket to) {
    from.handler(to::write);
    from.closeHandler(closed -> to.close());
  }

  @AfterAll
  static void stop() {
    certificate.delete();
    Engines.await(vertx.close());
  }

  @Test
  void aStoreServesWithRedisBehindTlsWhenItTrustsTheCertificate(Stores stores) {
    int before = tlsConnections.get();
    WebStore store = stores.start(new JsonObject().put("redis", new JsonObject()
        .put("uri", "rediss://localhost:" + front.actualPort())
        .put("caCertFile", certificate.certificatePath())));
    Api api = stores.api(store);

    assertThat(api.get("/health/ready", null).statusCode()).isEqualTo(200);
    // the product page's stock comes from the ledger in Redis: through the TLS front
    assertThat(api.get("/api/v1/products", null).statusCode()).isEqualTo(200);
    assertThat(tlsConnections.get()).as("connections through TLS").isGreaterThan(before);
  }

  @Test
  void aCertificateThatDoesNotNameTheHostIsRefused() {
    // the certificate names localhost, not 127.0.0.1: without the name check this would connect
    Future<WebStore> starting = WebStore.start(Path.of("conf"), Map.of("WEBSTORE_PROFILE", "dev"),
        Engines.shared().overrides().mergeIn(new JsonObject()
            .put("startup", new JsonObject().put("deadlineMs", 3000))
            .put("redis", new JsonObject()
                .put("uri", "rediss://127.0.0.1:" + front.actualPort())
                .put("caCertFile", certificate.certificatePath())), true),
        Features.all());

    assertThatThrownBy(() -> Engines.await(starting, Duration.ofSeconds(60)))
        .hasMessageContaining("redis did not answer within the start-up deadline");
  }
}
