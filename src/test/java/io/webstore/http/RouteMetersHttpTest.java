package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Metrics;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP request meters on {@code /metrics} count each request under its route template, method and status
 * ({@code vertx_http_server_requests_total} and the {@code vertx_http_server_response_time_seconds} histogram), never
 * under its raw path: reads of many SKUs add to one series, not a series each.
 */
@WebstoreTest
class RouteMetersHttpTest {

  private static final String PRODUCT_404 = "{code=\"404\",method=\"GET\",route=\"/api/v1/products/:sku\"}";

  @Shared static Api api;

  @Test
  void productReadsAreCountedByTheirRouteTemplateNotTheirSku() {
    String before = metrics();
    List<String> skus = List.of("Gone-" + System.nanoTime(), "Gone-" + (System.nanoTime() + 1),
        "Gone-" + (System.nanoTime() + 2));
    for (String sku : skus) {
      assertThat(api.get("/api/v1/products/" + sku, null).statusCode()).isEqualTo(404);
    }
    String bucket = "vertx_http_server_response_time_seconds_bucket{code=\"404\",method=\"GET\","
        + "route=\"/api/v1/products/:sku\",le=\"+Inf\"}";
    List<String> series = List.of("vertx_http_server_requests_total" + PRODUCT_404,
        "vertx_http_server_response_time_seconds_count" + PRODUCT_404, bucket);
    String after = counted(before, series, 3);

    skus.forEach(sku -> assertThat(after).as("no series per SKU").doesNotContain(sku));
  }

  @Test
  void aPathNoRouteHasIsCountedUnderTheEmptyRoute() {
    String unmatched = "vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\"\"}";
    String path = "/api/v1/nothing-here-" + System.nanoTime();
    String before = metrics();
    assertThat(api.get(path, null).statusCode()).isEqualTo(404);
    String after = counted(before, List.of(unmatched), 1);
    assertThat(after).doesNotContain(path);
  }

  @Test
  void managementRequestsAreCountedByTheirRoute() {
    String scrapes = "vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/metrics\"}";
    String before = metrics();
    counted(before, List.of(scrapes), 1); // the first scrape itself is counted once its answer is written
  }

  /**
   * The first scrape where every one of {@code series} grew by at least {@code by} since {@code before}. A request is
   * counted when its response's write completes, which can be a moment after its client has read it, so the test
   * waits for the count (with a deadline) instead of reading it once.
   */
  private static String counted(String before, List<String> series, int by) {
    return Deadline.until(series + " to grow by " + by, Duration.ofSeconds(10), () -> {
      String now = metrics();
      return series.stream().allMatch(s -> value(now, s) - value(before, s) >= by) ? now : null;
    });
  }

  private static String metrics() {
    return Metrics.scrape(api);
  }

  /** The sample of {@code series}, 0 when it is not there yet. */
  private static double value(String text, String series) {
    return Metrics.sample(text, series).orElse(0);
  }
}
