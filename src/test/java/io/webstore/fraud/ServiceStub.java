package io.webstore.fraud;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.webstore.testing.Engines;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A local HTTP server standing in for an AWS service: records each request (method, path, headers, body) and answers
 * as the test says, or not at all ({@link #stall}).
 */
final class ServiceStub implements AutoCloseable {

  /** One request as the stub saw it. */
  record Seen(String method, String path, String contentType, String target, String body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<HttpServerRequest, String> answer;

  ServiceStub() {
    server = Engines.await(vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          seen.add(new Seen(request.method().name(), request.path(), request.getHeader("Content-Type"),
              request.getHeader("X-Amz-Target"), body.toString()));
          BiConsumer<HttpServerRequest, String> now = answer;
          if (now != null) {
            now.accept(request, body.toString());
          }
        }))
        .listen(0, "127.0.0.1"));
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Answers every request with this status, content type and body. */
  void answer(int status, String contentType, String body) {
    answer = (request, received) -> request.response().setStatusCode(status)
        .putHeader("Content-Type", contentType).end(body);
  }

  /** Takes requests and never answers them. */
  void stall() {
    answer = null;
  }

  @Override
  public void close() {
    Engines.await(vertx.close());
  }
}
