package io.webstore.platform.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.testing.ChildStore;
import io.webstore.testing.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real main in its own JVM: start-up failure on bad config, and SIGTERM draining an in-flight request. */
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
