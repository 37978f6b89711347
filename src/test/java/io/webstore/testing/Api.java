package io.webstore.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.webstore.WebStore;
import java.util.List;

/**
 * A real HTTP client for tests, aimed at one running store. {@code send} returns a future (for concurrent clients);
 * {@code call} waits for the response (from a JUnit thread, never an event loop).
 */
public final class Api implements AutoCloseable {

  private final Vertx vertx;
  private final WebClient client;
  private final WebClient management;
  private final WebStore store;

  public Api(WebStore store) {
    this.store = store;
    this.vertx = Vertx.vertx();
    this.client = ContractCheck.client(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(200));
    this.management = ContractCheck.unchecked(vertx);
  }

  /** A client for the shared store of this test JVM. */
  public static Api shared() {
    return new Api(Engines.shared().app());
  }

  public WebStore store() {
    return store;
  }

  /** The client of the store's API port: every response it receives is checked against the contract. */
  public WebClient client() {
    return client;
  }

  public int port() {
    return store.port();
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, store.port(), "localhost", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  public Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = request(method, path, token);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  public HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    return Engines.await(send(method, path, token, body));
  }

  public HttpResponse<Buffer> get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  /** A GET on the store's management port ({@code /metrics}, readiness details). */
  public HttpResponse<Buffer> management(String path) {
    return Engines.await(management.get(store.managementPort().orElseThrow(), "localhost", path).send());
  }

  /** A token minted by the store's own dev issuer (for tests that are not about login). */
  public String tokenFor(String subject, String email, List<String> groups) {
    return store.services().authKeys().issue(subject, email, groups).orElseThrow();
  }

  @Override
  public void close() {
    Engines.await(vertx.close());
  }
}
