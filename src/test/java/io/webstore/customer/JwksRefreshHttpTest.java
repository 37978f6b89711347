package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key rotation without a restart, against stores in {@code cognito} mode whose JWKS this test serves (and can change,
 * or take down): a token signed by a new key is accepted once a token naming it has made the store fetch the set
 * again; an old key keeps working until it leaves the set; while the JWKS endpoint is down the keys already held keep
 * working; a set that cannot be fetched at start leaves the store up but not ready, bearer tokens 503, until a fetch
 * succeeds; and unknown key ids fetch at most once per {@code auth.jwksMinRefreshIntervalMs}.
 */
@WebstoreTest
class JwksRefreshHttpTest {

  static final String FLAGS = "/api/v1/flags"; // any valid token opens it
  static final String ISSUER = "https://cognito-idp.test.invalid/pool-" + UUID.randomUUID();
  static final String CLIENT_ID = "client-" + UUID.randomUUID();

  /** A JWKS endpoint whose keys and status the test sets; it counts the fetches. */
  static final class JwksServer {
    final AtomicReference<List<JsonObject>> keys = new AtomicReference<>(List.of());
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger fetches = new AtomicInteger();
    HttpServer server;

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
    }
  }

  record Key(String kid, KeyPair pair) {
    static Key create() {
      return new Key("kid-" + UUID.randomUUID(), Jwts.rsaKeyPair());
    }

    JsonObject jwk() {
      return Jwts.publicJwk((RSAPublicKey) pair.getPublic(), kid);
    }

    String token() {
      long now = Instant.now().getEpochSecond();
      JsonObject claims = new JsonObject().put("sub", UUID.randomUUID().toString())
          .put("cognito:groups", new JsonArray()).put("token_use", "access").put("iss", ISSUER)
          .put("client_id", CLIENT_ID).put("iat", now).put("exp", now + 600);
      return Jwts.rs256(new JsonObject().put("kid", kid), claims, pair.getPrivate());
    }
  }

  static Vertx vertx;
  static final JwksServer rotating = new JwksServer();
  static final JwksServer lateServer = new JwksServer();
  static final Key first = Key.create();
  static final Key second = Key.create();
  static Api store;
  static Api late;

  @BeforeAll
  static void start(Stores stores) {
    vertx = Vertx.vertx();
    for (JwksServer jwks : List.of(rotating, lateServer)) {
      jwks.server = Engines.await(vertx.createHttpServer().requestHandler(request -> {
        jwks.fetches.incrementAndGet();
        request.response().setStatusCode(jwks.status.get()).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("keys", new JsonArray(jwks.keys.get())).toBuffer());
      }).listen(0, "127.0.0.1"));
    }
    rotating.keys.set(List.of(first.jwk()));
    store = stores.api(stores.start(cognitoMode(rotating, 200)));
    lateServer.status.set(503); // down while the second store starts
    late = stores.api(stores.start(cognitoMode(lateServer, 3_600_000)));
  }

  static JsonObject cognitoMode(JwksServer jwks, int minRefreshIntervalMs) {
    return new JsonObject()
        .put("auth", new JsonObject().put("mode", "cognito").put("issuer", ISSUER).put("jwksUrl", jwks.url())
            .put("cognitoClientId", CLIENT_ID).put("jwksMinRefreshIntervalMs", minRefreshIntervalMs))
        .put("health", new JsonObject().put("cacheTtlMs", 0));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Engines.await(vertx.close());
    }
  }

  static int status(Api api, String token) {
    return api.get(FLAGS, token).statusCode();
  }

  @Test
  void aNewKeyIsAcceptedAfterARefreshAndTheOldOneUntilItLeavesTheSet() {
    rotating.keys.set(List.of(first.jwk()));
    Deadline.await("the first key accepted", Duration.ofSeconds(10), () -> status(store, first.token()) == 200);

    rotating.keys.set(List.of(first.jwk(), second.jwk())); // the pool publishes its next key
    Deadline.await("a token of the new key accepted", Duration.ofSeconds(10),
        () -> status(store, second.token()) == 200);
    assertThat(status(store, first.token())).as("the old key still works").isEqualTo(200);

    rotating.keys.set(List.of(second.jwk())); // the old key is retired
    Key unknown = Key.create();
    Deadline.await("the retired key rejected once the set was fetched again", Duration.ofSeconds(10), () -> {
      int probe = status(store, unknown.token()); // names an unknown kid: makes the store fetch
      assertThat(probe).isEqualTo(401);
      return status(store, first.token()) == 401;
    });
    assertThat(status(store, second.token())).isEqualTo(200);
  }

  @Test
  void whileTheJwksEndpointIsDownTheKeysHeldKeepWorking() {
    Key current = Key.create();
    rotating.keys.set(List.of(current.jwk()));
    Deadline.await("the current key accepted", Duration.ofSeconds(10), () -> status(store, current.token()) == 200);

    rotating.status.set(500);
    try {
      int before = rotating.fetches.get();
      Key unknown = Key.create();
      Deadline.await("a fetch attempted while the endpoint is down", Duration.ofSeconds(10), () -> {
        assertThat(status(store, unknown.token())).isEqualTo(401);
        return rotating.fetches.get() > before;
      });
      assertThat(status(store, current.token())).isEqualTo(200);
      HttpResponse<Buffer> ready = store.management("/health/ready");
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    } finally {
      rotating.status.set(200);
    }
  }

  @Test
  void aKeySetNotFetchableAtStartIsReportedByReadinessAndRecoveredLater() {
    Key key = Key.create();
    HttpResponse<Buffer> down = late.management("/health/ready");
    assertThat(down.statusCode()).as(down.bodyAsString()).isEqualTo(503);
    JsonObject jwksCheck = down.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> "jwks".equals(check.getString("id"))).findFirst().orElseThrow();
    assertThat(jwksCheck.getString("status")).isEqualTo("DOWN");
    HttpResponse<Buffer> noKeys = late.get(FLAGS, key.token());
    assertThat(noKeys.statusCode()).as(noKeys.bodyAsString()).isEqualTo(503);
    assertThat(noKeys.getHeader("Retry-After")).isNotBlank();

    lateServer.keys.set(List.of(key.jwk()));
    lateServer.status.set(200);
    Deadline.await("readiness up once the set is fetched", Duration.ofSeconds(15),
        () -> late.management("/health/ready").statusCode() == 200);
    assertThat(status(late, key.token())).isEqualTo(200);

    int fetches = lateServer.fetches.get();
    for (int i = 0; i < 5; i++) {
      assertThat(status(late, Key.create().token())).isEqualTo(401);
    }
    assertThat(lateServer.fetches.get()).as("unknown kids fetch at most once per interval (1 h here)")
        .isEqualTo(fetches);
  }
}
