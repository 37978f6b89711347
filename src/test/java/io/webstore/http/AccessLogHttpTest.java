package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** With {@code http.accessLog} on, each request gets one line naming its route template, never its raw path. */
@WebstoreTest
class AccessLogHttpTest {

  static final Queue<String> lines = new ConcurrentLinkedQueue<>();
  static final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getFormattedMessage());
    }
  };
  static Api api;

  @BeforeAll
  static void start(Stores stores) {
    capture.start();
    ((Logger) LoggerFactory.getLogger("io.webstore.access")).addAppender(capture);
    api = stores.api(stores.start(new JsonObject().put("http", new JsonObject().put("accessLog", true))));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("io.webstore.access")).detachAppender(capture);
  }

  @Test
  void eachLineNamesTheRouteTemplateMethodAndStatus() {
    String sku = "Absent-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(line(HttpMethod.GET, "/api/v1/products/" + sku))
        .contains(" method=GET route=/api/v1/products/{sku} status=404 duration_ms=").doesNotContain(sku);
    assertThat(line(HttpMethod.GET, "/api/v1/products?page=2"))
        .contains(" method=GET route=/api/v1/products status=200 ");
    assertThat(line(HttpMethod.DELETE, "/api/v1/cart/items/" + sku))
        .contains(" method=DELETE route=/api/v1/cart/items/{sku} status=").doesNotContain(sku);
    assertThat(line(HttpMethod.GET, "/api/v1/products/" + sku + "/extra"))
        .contains(" method=GET route=unmatched status=404 ").doesNotContain(sku);
  }

  /** Sends with a request id of its own and returns the access-log line that carries it, with the same status. */
  private static String line(HttpMethod method, String path) {
    String id = "t-" + UUID.randomUUID();
    var response = Engines.await(api.request(method, path, null).putHeader("X-Request-Id", id).send());
    String line = Deadline.until("the access-log line of " + method + " " + path, Duration.ofSeconds(5),
        () -> lines.stream().filter(candidate -> candidate.startsWith("http.access request=" + id + " ")).findFirst()
            .orElse(null));
    assertThat(line).contains(" status=" + response.statusCode() + " ");
    return line;
  }
}
