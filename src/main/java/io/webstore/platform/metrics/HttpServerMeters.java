package io.webstore.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP servers' request meters, by route template, method and status code: {@code vertx_http_server_requests_total}
 * and {@code vertx_http_server_response_time_seconds} (a histogram, see {@link RouteLatency}), under the names and
 * tags Vert.x's own HTTP server metrics gave them, so dashboards and alerts read them as before.
 *
 * <p>Recorded from a table instead of by vertx-micrometer-metrics, which built the request's tags and looked up four
 * meters in the registry (a meter id made, hashed and found again) for every request. Here each route and method gets
 * a {@link Route} once, when its server's routes are set up, and each status's counter and timer are registered the
 * first time the route answers with it and kept in the route's own array: a request costs an array read, a counter
 * increment and a timer record.
 */
public final class HttpServerMeters {

  /** Requests answered (a counter), as Vert.x named it. */
  public static final String REQUESTS = "vertx.http.server.requests";
  /** Time from a request's first handler to the end of its response (a timer), as Vert.x named it. */
  public static final String RESPONSE_TIME = RouteLatency.METER;
  /**
   * The API's open connections (a gauge), under the name Vert.x gave it: counted per connection from accept to close,
   * so a connection flood (a flash sale's opening second, or clients that open and never send) shows on {@code
   * /metrics}.
   */
  public static final String OPEN_CONNECTIONS = "vertx.http.server.active.connections";
  /** The route tag of a request that matched no route, as Vert.x tagged it. */
  public static final String UNMATCHED = "";

  private static final int LOWEST_STATUS = 100;
  private static final int HIGHEST_STATUS = 599;

  private final MeterRegistry registry;

  public HttpServerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the {@link #OPEN_CONNECTIONS} gauge of one server on {@code meters}: the count it reads. */
  public static AtomicInteger openConnections(MeterRegistry meters) {
    AtomicInteger open = new AtomicInteger();
    Gauge.builder(OPEN_CONNECTIONS, open, AtomicInteger::get).description("Number of opened connections to the API")
        .register(meters);
    return open;
  }

  /**
   * The meters of one route: {@code route} is its template as the router names it ({@code /api/v1/products/:sku}, or
   * {@link #UNMATCHED}), never a raw path.
   */
  public Route route(String route, String method) {
    return new Route(route, method);
  }

  /** A route and method's counter and timer per status code. */
  public final class Route {
    private final String route;
    private final String method;
    private final Status[] byStatus = new Status[HIGHEST_STATUS - LOWEST_STATUS + 1];

    private Route(String route, String method) {
      this.route = route;
      this.method = method;
    }

    /** Counts one answered request with {@code status}, which took {@code nanos}. */
    public void record(int status, long nanos) {
      status(status).record(nanos);
    }

    private Status status(int status) {
      if (status < LOWEST_STATUS || status > HIGHEST_STATUS) {
        return new Status(route, method, status); // not an HTTP status: the registry finds the meters again
      }
      Status kept = byStatus[status - LOWEST_STATUS];
      if (kept == null) {
        // a Route is used from one event loop; were two to race here, both would get the same registered meters
        kept = new Status(route, method, status);
        byStatus[status - LOWEST_STATUS] = kept;
      }
      return kept;
    }

    public String route() {
      return route;
    }
  }

  private final class Status {
    final Counter requests;
    final Timer responseTime;

    Status(String route, String method, int status) {
      String code = Integer.toString(status);
      requests = Counter.builder(REQUESTS).description("Number of processed requests")
          .tags("route", route, "method", method, "code", code).register(registry);
      responseTime = Timer.builder(RESPONSE_TIME).description("Request processing time")
          .tags("route", route, "method", method, "code", code).register(registry);
    }

    void record(long nanos) {
      requests.increment();
      responseTime.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
