package io.webstore.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Metrics;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Event-loop health and per-route latency are on the management port's {@code /metrics}: every event loop's probe
 * keeps recording, blocked-thread warnings have their counter, and the HTTP response time has histogram buckets by
 * route template, method and status.
 */
@WebstoreTest
class EventLoopHealthHttpTest {

  @Shared static Api api;

  @Test
  void everyEventLoopIsProbedAgainAndAgain() {
    String first = metrics();
    double before = value(first, "webstore_eventloop_delay_seconds_count{loop=\"0\"}");
    assertThat(first).contains("webstore_eventloop_delay_seconds_max{loop=\"0\"}")
        .contains("webstore_eventloop_delay_seconds_bucket{loop=\"0\",le=\"0.005\"}")
        .contains("webstore_eventloop_delay_seconds_count{loop=\"1\"}");
    Deadline.await("the probe of loop 0 ran again", Duration.ofSeconds(10),
        () -> value(metrics(), "webstore_eventloop_delay_seconds_count{loop=\"0\"}") >= before + 2);
  }

  @Test
  void blockedThreadWarningsAreCounted() {
    String text = metrics();
    assertThat(text).contains("webstore_eventloop_blocked_total{thread=\"event-loop\"}")
        .contains("webstore_eventloop_blocked_total{thread=\"worker\"}");
  }

  @Test
  void responseTimeHasBucketsPerRouteTemplateMethodAndStatus() {
    assertThat(api.get("/api/v1/products/No-such-sku-" + System.nanoTime(), null).statusCode()).isEqualTo(404);
    // a request is counted once its response's write completes, which can be a moment after its client read it
    String text = Deadline.until("the 404 of GET /api/v1/products/:sku counted", Duration.ofSeconds(10), () -> {
      String now = metrics();
      return now.contains("vertx_http_server_response_time_seconds_bucket{code=\"404\",method=\"GET\","
          + "route=\"/api/v1/products/:sku\",le=\"0.025\"}") ? now : null;
    });
    Matcher bucket = Pattern.compile("vertx_http_server_response_time_seconds_bucket\\{([^}]*)}").matcher(text);
    boolean found = false;
    while (bucket.find()) {
      String labels = bucket.group(1);
      if (labels.contains("route=\"/api/v1/products/:sku\"") && labels.contains("code=\"404\"")
          && labels.contains("method=\"GET\"") && labels.contains("le=\"0.025\"")) {
        found = true;
      }
      assertThat(labels).as("never a raw path").doesNotContain("No-such-sku");
    }
    assertThat(found).as("a 25 ms bucket of GET /api/v1/products/:sku answered 404 in:%n%s",
        text.lines().filter(line -> line.startsWith("vertx_http_server_response_time")).limit(20)
            .reduce("", (a, b) -> a + b + "\n")).isTrue();
  }

  private static String metrics() {
    return Metrics.scrape(api);
  }

  private static double value(String text, String series) {
    OptionalDouble sample = Metrics.sample(text, series);
    assertThat(sample).as(series + " in /metrics").isPresent();
    return sample.getAsDouble();
  }
}
