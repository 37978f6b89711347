package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request still running after {@code http.requestTimeoutMs} is answered 503 {@code unavailable} with {@code
 * Retry-After}, as problem+json, and requests answered in time are never touched by the timeout, however long after
 * them it runs.
 */
@WebstoreTest
class RequestTimeoutHttpTest {

  // long enough that no request answered from memory comes near it on a busy machine
  static final long TIMEOUT_MS = 1000;
  static WebStore store;
  static Api api;
  static Vertx vertx;

  @BeforeAll
  static void start(Stores stores, Vertx shared) {
    store = stores.start(new JsonObject().put("http", new JsonObject().put("requestTimeoutMs", TIMEOUT_MS)));
    api = stores.api(store);
    vertx = shared;
  }

  @Test
  void aRequestWhoseBodyNeverArrivesIs503ProblemJsonAfterTheTimeout() {
    NetSocket socket = Engines.await(vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000))
        .connect(store.port(), "localhost"));
    Promise<String> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(chunk -> {
      received.appendBuffer(chunk);
      String text = received.toString();
      int head = text.indexOf("\r\n\r\n");
      if (head >= 0 && text.substring(head + 4).trim().endsWith("}")) {
        answer.tryComplete(text);
      }
    });
    long sent = System.nanoTime();
    // the head promises 100 bytes of body; a few come and the rest never does, so the body handler waits
    socket.write("POST /api/v1/cart/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"sku\":");

    String text = Engines.await(answer.future(), Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(TIMEOUT_MS));
    assertThat(text).startsWith("HTTP/1.1 503");
    assertThat(text).containsIgnoringCase("content-type: application/problem+json");
    assertThat(text).containsIgnoringCase("retry-after: ");
    assertThat(text).containsIgnoringCase("x-request-id: ");
    JsonObject problem = new JsonObject(text.substring(text.indexOf("\r\n\r\n") + 4));
    assertThat(problem.getInteger("status")).isEqualTo(503);
    assertThat(problem.getString("type")).isEqualTo("/problems/unavailable");
    socket.close();
  }

  @Test
  void requestsAnsweredInTimeStayAnsweredLongAfterTheTimeout() {
    long until = System.nanoTime() + Duration.ofMillis(3 * TIMEOUT_MS).toNanos();
    int answered = 0;
    while (System.nanoTime() < until || answered < 20) {
      HttpResponse<Buffer> response = Engines.await(api.request(HttpMethod.GET, "/health/live", null).send());
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      answered++;
    }
    // one more after all of them have passed the timeout: the sweep fails none that ended, and this one is fresh
    HttpResponse<Buffer> last = Engines.await(api.request(HttpMethod.GET, "/health/live", null).send());
    assertThat(last.statusCode()).isEqualTo(200);
  }
}
