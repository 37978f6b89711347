package io.webstore.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of the DynamoDB engine that counts every request it forwards by operation ({@code
 * X-Amz-Target}) and table: the engine-side count of the store's DynamoDB calls, readable from outside the store's JVM
 * at {@code GET /counts} of its own port. Every attempt is one request, so an SDK retry counts again.
 *
 * <p>The store and the bench's raw-write reference both reach the engine through it, so its cost (one more local hop)
 * is on both sides of the ratio.
 */
final class CountingProxy {

  private static final Pattern TABLE_NAME = Pattern.compile("\"TableName\"\\s*:\\s*\"([^\"]+)\"");
  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final int CONNECTIONS = 256;

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final HttpServer proxy;
  private final HttpServer countsServer;

  private CountingProxy(HttpServer proxy, HttpServer countsServer) {
    this.proxy = proxy;
    this.countsServer = countsServer;
  }

  int port() {
    return proxy.actualPort();
  }

  int countsPort() {
    return countsServer.actualPort();
  }

  static Future<CountingProxy> start(Vertx vertx, URI engine) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
            .setDefaultHost(engine.getHost()).setDefaultPort(engine.getPort()),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
    Holder holder = new Holder();
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(request -> holder.proxy.forward(client, request))
        .listen(0)
        .compose(proxy -> vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
            .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
                .end(holder.proxy.snapshot().encode()))
            .listen(0)
            .map(countsServer -> holder.proxy = new CountingProxy(proxy, countsServer)));
  }

  /** The handlers are bound before the proxy object exists; no request arrives before both servers listen. */
  private static final class Holder {
    private CountingProxy proxy;
  }

  private void forward(HttpClient client, HttpServerRequest request) {
    String target = request.getHeader("X-Amz-Target");
    String operation = target == null ? "unknown" : target.startsWith(TARGET_PREFIX)
        ? target.substring(TARGET_PREFIX.length()) : target;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers())
        .remove(HttpHeaders.HOST).remove(HttpHeaders.CONTENT_LENGTH).remove(HttpHeaders.CONNECTION);
    request.body()
        .compose(body -> {
          Matcher table = TABLE_NAME.matcher(body.toString());
          counts.computeIfAbsent(operation + " " + (table.find() ? table.group(1) : "-"), k -> new LongAdder())
              .increment();
          return client.request(new RequestOptions().setMethod(request.method()).setURI(request.uri())
                  .setHeaders(headers).setTimeout(30_000))
              .compose(outgoing -> outgoing.send(body));
        })
        .compose(response -> response.body().map(body -> {
          request.response().setStatusCode(response.statusCode());
          response.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("connection")
                && !name.equalsIgnoreCase("transfer-encoding")) {
              request.response().headers().add(name, value);
            }
          });
          return body;
        }))
        .onSuccess(body -> request.response().end(body))
        .onFailure(err -> {
          if (!request.response().ended()) {
            request.response().setStatusCode(502).end();
          }
        });
  }

  /** {@code {"<Operation> <table>": count, ...}} since start. */
  JsonObject snapshot() {
    JsonObject snapshot = new JsonObject();
    counts.forEach((key, count) -> snapshot.put(key, count.sum()));
    return snapshot;
  }
}
