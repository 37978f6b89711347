package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server protects itself from clients that misbehave at the HTTP level: a request head that never completes is
 * cut off, and oversized request lines and headers are refused with problem+json like every other error.
 */
@WebstoreTest
class ServerLimitsHttpTest {

  static final long HEAD_TIMEOUT_MS = 400;
  static WebStore store;
  static Api api;
  static Vertx vertx;

  @BeforeAll
  static void start(Stores stores, Vertx shared) {
    store = stores.start(new JsonObject().put("http", new JsonObject()
        .put("requestHeadTimeoutMs", HEAD_TIMEOUT_MS)
        .put("idleTimeoutMs", 120_000) // far beyond every deadline here: what cuts off is the head timeout
        .put("maxInitialLineLength", 2048)
        .put("maxHeaderSize", 4096)
        .put("maxHeaderCount", 40)));
    api = stores.api(store);
    vertx = shared;
  }

  /** Opens a raw TCP connection to the store; {@code closed} flips when the server closes it. */
  private static NetSocket connect(AtomicBoolean closed) {
    NetSocket socket = Engines.await(vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000))
        .connect(store.port(), "localhost"));
    socket.closeHandler(done -> closed.set(true));
    return socket;
  }

  @Test
  void aClientThatSendsHalfARequestLineAndStopsIsCutOff() {
    AtomicBoolean closed = new AtomicBoolean();
    NetSocket socket = connect(closed);
    long sent = System.nanoTime();
    Engines.await(socket.write("GET /api/v1/produ"));

    Deadline.await("the server closes a connection whose request head stalls", Duration.ofSeconds(10),
        closed::get);
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(HEAD_TIMEOUT_MS));
  }

  @Test
  void aHeadDrippedOneByteAtATimeIsCutOffAlthoughTheConnectionIsNeverIdle() {
    AtomicBoolean closed = new AtomicBoolean();
    NetSocket socket = connect(closed);
    String head = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n" + "X-Slow: ".repeat(200);
    AtomicReference<Integer> next = new AtomicReference<>(0);
    long timer = vertx.setPeriodic(50, tick -> {
      int at = next.getAndUpdate(i -> i + 1);
      if (!closed.get() && at < head.length()) {
        socket.write(head.substring(at, at + 1));
      }
    });
    try {
      Deadline.await("the server closes a connection whose head arrives too slowly", Duration.ofSeconds(10),
          closed::get);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  @Test
  void aCompleteRequestOnTheSameKindOfConnectionIsServed() {
    AtomicBoolean closed = new AtomicBoolean();
    NetSocket socket = connect(closed);
    Promise<Buffer> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(chunk -> {
      received.appendBuffer(chunk);
      if (received.toString().contains("\r\n\r\n")) {
        answer.tryComplete(received);
      }
    });
    socket.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(Engines.await(answer.future(), Duration.ofSeconds(10)).toString()).startsWith("HTTP/1.1 200");
  }

  @Test
  void aTooLongUriIs414ProblemJson() {
    HttpResponse<Buffer> response = Engines.await(
        api.request(HttpMethod.GET, "/api/v1/products/" + "A".repeat(3000), null).send());
    assertProblem(response, 414, "/problems/uri-too-long");
  }

  @Test
  void tooLargeHeadersAre431ProblemJson() {
    HttpResponse<Buffer> response = Engines.await(api.request(HttpMethod.GET, "/health/live", null)
        .putHeader("X-Big", "b".repeat(6000)).send());
    assertProblem(response, 431, "/problems/request-header-fields-too-large");
  }

  @Test
  void tooManyHeadersAre431ProblemJson() {
    HttpRequest<Buffer> request = api.request(HttpMethod.GET, "/health/live", null);
    for (int i = 0; i < 60; i++) {
      request.putHeader("X-Many-" + i, "x");
    }
    assertProblem(Engines.await(request.send()), 431, "/problems/request-header-fields-too-large");
  }

  @Test
  void anUnreadableRequestIs400ProblemJson() {
    AtomicBoolean closed = new AtomicBoolean();
    NetSocket socket = connect(closed);
    Promise<Buffer> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(received::appendBuffer);
    socket.closeHandler(done -> answer.tryComplete(received));
    socket.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nContent-Length: many\r\n\r\n");

    String text = Engines.await(answer.future(), Duration.ofSeconds(10)).toString();
    assertThat(text).startsWith("HTTP/1.1 400");
    assertThat(text).containsIgnoringCase("content-type: application/problem+json");
    JsonObject problem = new JsonObject(text.substring(text.indexOf("\r\n\r\n") + 4));
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("type")).isEqualTo("/problems/bad-request");
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).isEqualTo(type);
  }
}
