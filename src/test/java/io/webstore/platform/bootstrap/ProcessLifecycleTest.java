package io.webstore.platform.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.testing.Api;
import io.webstore.testing.ChildStore;
import io.webstore.testing.Engines;
import io.webstore.testing.Deadline;
import io.webstore.testing.WebstoreTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real main in its own JVM: start-up failure on bad config, and SIGTERM draining an in-flight request. */
@WebstoreTest
class ProcessLifecycleTest {

  @Test
  void badConfigStopsStartUpNamingTheKey() throws Exception {
    try (ChildStore child = ChildStore.start(Map.of("WEBSTORE_HTTP_PORT", "eighty"))) {
      assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process().exitValue()).isEqualTo(1);
      assertThat(String.join("\n", child.lines()))
          .contains("http.port must be an integer in [0, 65535] (got eighty")
          .contains("WEBSTORE_HTTP_PORT")
          .doesNotContain("\tat "); // a config mistake is one clear line, not a stack trace
    }
  }

  @Test
  void sigtermDrainsAnInFlightRequestThenExitsZero() throws Exception {
    try (ChildStore child = ChildStore.start(Map.of("WEBSTORE_HTTP_DRAIN_TIMEOUT_MS", "20000"))) {
      child.awaitLine("webstore.ready", Duration.ofSeconds(90));
      try (Socket socket = new Socket("127.0.0.1", child.port())) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        // one full exchange first: the server has registered this connection before the signal
        out.write(("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readResponse(in)).startsWith("HTTP/1.1 200");

        String body = "{\"email\":\"drain@example.com\"}";
        out.write(("POST /api/v1/drain-probe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10))
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();

        child.process().toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
        child.awaitLine("webstore.stopping", Duration.ofSeconds(20));
        Deadline.await("new connections refused while draining", Duration.ofSeconds(10), () -> {
          try (Socket probe = new Socket("127.0.0.1", child.port())) {
            return false;
          } catch (ConnectException refused) {
            return true;
          } catch (IOException other) {
            return false;
          }
        });
        assertThat(child.process().isAlive()).as("still draining the in-flight request").isTrue();

        out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = readResponse(in);
        assertThat(response).startsWith("HTTP/1.1 404").contains("application/problem+json");
      }
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process().exitValue()).isZero();
      assertThat(String.join("\n", child.lines())).contains("webstore.stopped");
    }
  }

  @Test
  void sigtermDrainsAnInFlightAddToCartWhoseEffectIsKept(Api shared) throws Exception {
    String sku = new CheckoutFixtures(shared).product("drain", "6.00", 5);
    try (ChildStore child = ChildStore.start(patient(Map.of("WEBSTORE_HTTP_DRAIN_TIMEOUT_MS", "20000",
            "WEBSTORE_HTTP_SHUTDOWN_GRACE_MS", "5000")));
        Socket socket = new Socket(); Socket probe = new Socket()) {
      child.awaitLine("webstore.ready", Duration.ofSeconds(90));
      socket.connect(new InetSocketAddress("127.0.0.1", child.port()));
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // a guest cart: its session is the only credential, and any store can read the cart afterwards
      out.write(get("/api/v1/cart", null));
      String cart = readResponse(in);
      assertThat(cart).startsWith("HTTP/1.1 200");
      String sid = header(cart, "x-session-id");
      byte[] rest = startAdd(out, sid, sku); // headers and half the body: the request is in flight
      child.process().toHandle().destroy(); // SIGTERM
      child.awaitLine("webstore.stopping", Duration.ofSeconds(20));
      assertThat(child.process().isAlive()).as("still draining the in-flight request").isTrue();
      // during the shutdown grace the listener still answers, and readiness tells the load balancer to go away
      probe.connect(new InetSocketAddress("127.0.0.1", child.port()));
      probe.setSoTimeout(30_000);
      probe.getOutputStream().write(get("/health/ready", null));
      assertThat(readResponse(probe.getInputStream())).startsWith("HTTP/1.1 503");
      out.write(rest);
      out.flush();
      String added = readResponse(in);
      assertThat(added).startsWith("HTTP/1.1 200").contains(sku);

      HttpResponse<Buffer> kept = Engines.await(shared.request(HttpMethod.GET, "/api/v1/cart", null)
          .putHeader("X-Session-Id", sid).send());
      assertThat(kept.statusCode()).as(kept.bodyAsString()).isEqualTo(200);
      assertThat(kept.bodyAsJsonObject().getJsonArray("lines").getJsonObject(0).getString("sku")).isEqualTo(sku);
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process().exitValue()).isZero();
      String output = String.join("\n", child.lines());
      assertThat(output).contains("webstore.stopped");
    }
  }

  @Test
  void aDrainWhoseTimeoutExpiresFirstStillExitsAndTheUnfinishedRequestHasNoEffect(Api shared) throws Exception {
    String sku = new CheckoutFixtures(shared).product("cutoff", "6.00", 5);
    try (ChildStore child = ChildStore.start(patient(Map.of("WEBSTORE_HTTP_DRAIN_TIMEOUT_MS", "1000")));
        Socket socket = new Socket()) {
      child.awaitLine("webstore.ready", Duration.ofSeconds(90));
      socket.connect(new InetSocketAddress("127.0.0.1", child.port()));
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(get("/api/v1/cart", null));
      String sid = header(readResponse(in), "x-session-id");

      startAdd(out, sid, sku); // the rest of the body never comes
      long signalled = System.nanoTime();
      child.process().toHandle().destroy(); // SIGTERM
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("the process exits after the drain timeout")
          .isTrue();
      System.out.printf("process.drain_timeout exit_ms=%d exit_code=%d%n",
          (System.nanoTime() - signalled) / 1_000_000, child.process().exitValue());
      // what happens to the request: it never reached its handler, the client gets no answer (the connection is
      // closed), and the cart is unchanged
      assertThat(in.read()).as("no response, the connection closed").isEqualTo(-1);
      HttpResponse<Buffer> cart = Engines.await(shared.request(HttpMethod.GET, "/api/v1/cart", null)
          .putHeader("X-Session-Id", sid).send());
      assertThat(cart.statusCode()).as(cart.bodyAsString()).isEqualTo(200);
      assertThat(cart.bodyAsJsonObject().getJsonArray("lines")).isEmpty();
      assertThat(String.join("\n", child.lines())).contains("webstore.stopping");
    }
  }

  /** {@code env} plus the generous engine timeouts of the test stores (the suite shares 2 cores with the engines). */
  private static Map<String, String> patient(Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("WEBSTORE_AWS_ATTEMPT_TIMEOUT_MS", "5000");
    all.put("WEBSTORE_AWS_API_CALL_TIMEOUT_MS", "15000");
    all.put("WEBSTORE_REDIS_COMMAND_TIMEOUT_MS", "5000");
    return all;
  }

  /** Sends the headers of an add-to-cart and the first half of its body; returns the other half. */
  private static byte[] startAdd(OutputStream out, String sid, String sku) throws IOException {
    String body = "{\"sku\":\"" + sku + "\",\"quantity\":1}";
    int half = body.length() / 2;
    out.write(("POST /api/v1/cart/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "X-Session-Id: " + sid + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body.substring(0, half))
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return body.substring(half).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] get(String path, String sid) {
    return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (sid == null ? "" : "X-Session-Id: " + sid + "\r\n")
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static String header(String response, String name) {
    for (String line : response.split("\r\n")) {
      if (line.toLowerCase().startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + name + " in " + response);
  }

  /** Reads one HTTP/1.1 response with a Content-Length body. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return head + new String(body, StandardCharsets.UTF_8);
  }
}
