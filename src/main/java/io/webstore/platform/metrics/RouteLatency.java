package io.webstore.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Histogram buckets for Vert.x's HTTP server response time ({@code vertx_http_server_response_time_seconds}, by
 * route template, method and status code), so percentiles per route can be computed from {@code /metrics} across
 * instances. A few fixed buckets around the goals (reads and 409s under 25 ms, checkout under 100 ms) rather than
 * Micrometer's 70-odd default ones per series.
 */
public final class RouteLatency {

  /** The Vert.x meter this shapes. */
  public static final String METER = "vertx.http.server.response.time";

  private RouteLatency() {}

  /** A filter to add to the registry before Vert.x registers its meters. */
  public static MeterFilter histograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!METER.equals(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(millis(1), millis(2.5), millis(5), millis(10), millis(25), millis(50),
                millis(100), millis(250), millis(500), millis(1000), millis(2500), millis(10000))
            .build()
            .merge(config);
      }
    };
  }

  /** A bucket bound: a timer's distribution is configured in nanoseconds. */
  private static double millis(double ms) {
    return ms * 1_000_000;
  }
}
