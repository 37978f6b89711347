package io.webstore.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.webstore.platform.error.Problem;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every request, and the only one of the request's set-up: accepts a sane {@code X-Request-Id} or
 * makes one and echoes it, sets the security headers, refuses more header fields than allowed (431), starts the
 * request's timeout ({@code http.requestTimeoutMs}: 503), and when the response ends records the request in its
 * route's meters ({@link io.webstore.platform.metrics.HttpServerMeters}) and writes one access-log line (route
 * template, status, duration).
 *
 * <p>One handler instead of one each: every handler of the router's chain is a route match and a {@code next()}
 * per request. The timeout is not a timer per request either (a scheduled task made, queued and cancelled for every
 * request, most of them answered in microseconds): the requests in flight on this event loop are kept in arrival
 * order, so the oldest is first, and one periodic sweep ({@link #sweepPeriodMs}) fails those older than the timeout
 * with 503, as Vert.x's {@code TimeoutHandler} did. A request leaves the list when its response ends or its
 * connection closes.
 *
 * <p>Not thread-safe by design: one per HTTP verticle, used only from its event loop.
 */
final class RequestContextHandler implements PlatformHandler { // platform: runs before every other handler

  private static final Logger access = LoggerFactory.getLogger("io.webstore.access");
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");
  // the same headers on every response: names and values made once, as byte strings the encoder copies as they are
  private static final CharSequence[][] SECURITY_HEADERS = {
      optimized("X-Content-Type-Options", "nosniff"),
      optimized("X-Frame-Options", "DENY"),
      optimized("Referrer-Policy", "no-referrer"),
      optimized("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
      optimized("Strict-Transport-Security", "max-age=31536000; includeSubDomains")};
  private static final String KEY = "webstore.requestId";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final int TIMED_OUT = 503;

  private final boolean accessLog;
  private final RouteTemplates routes;
  private final int maxHeaderCount;
  private final Problem tooManyHeaders;
  private final long timeoutNanos;
  /** Oldest request in flight on this event loop (the first to time out), and the newest. */
  private InFlight oldest;
  private InFlight newest;

  /**
   * Starts the timeout's sweep on the calling context (a verticle's: its undeploy cancels the sweep), so make it from
   * the HTTP verticle whose router it serves. A {@code requestTimeoutMs} of 0 sets no timeout (and no sweep).
   */
  RequestContextHandler(Vertx vertx, boolean accessLog, RouteTemplates routes, int maxHeaderCount,
      long requestTimeoutMs) {
    this.accessLog = accessLog;
    this.routes = routes;
    this.maxHeaderCount = maxHeaderCount;
    this.tooManyHeaders = new Problem(431, InvalidRequests.HEADERS_TOO_LARGE.slug(),
        InvalidRequests.HEADERS_TOO_LARGE.title(), "the request has more than " + maxHeaderCount + " header fields");
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
    if (requestTimeoutMs > 0) {
      vertx.setPeriodic(sweepPeriodMs(requestTimeoutMs), tick -> failTimedOut());
    }
  }

  /**
   * How often the requests in flight are checked: a twentieth of the timeout, between 10 and 500 ms, so a request is
   * answered 503 at most 5% (and at most half a second) after its timeout.
   */
  static long sweepPeriodMs(long requestTimeoutMs) {
    return Math.max(10, Math.min(500, requestTimeoutMs / 20));
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String given = ctx.request().getHeader(REQUEST_ID);
    String id = given != null && SAFE_ID.matcher(given).matches() ? given : newRequestId();
    ctx.put(KEY, id);
    var response = ctx.response().putHeader(REQUEST_ID, id);
    for (CharSequence[] header : SECURITY_HEADERS) {
      response.putHeader(header[0], header[1]);
    }
    InFlight request = new InFlight(ctx, id, start);
    ctx.addEndHandler(request);
    if (ctx.request().headers().size() > maxHeaderCount) {
      ProblemHandler.send(ctx, tooManyHeaders);
      return;
    }
    if (timeoutNanos > 0) {
      request.enlist();
    }
    ctx.next();
  }

  /** Fails with 503 every request in flight longer than the timeout; they are the first of the list. */
  private void failTimedOut() {
    long now = System.nanoTime();
    while (oldest != null && now - oldest.start >= timeoutNanos) {
      InFlight late = oldest;
      late.delist();
      if (!late.ctx.request().isEnded()) {
        late.ctx.request().resume(); // a body still arriving must not hold the answer back
      }
      late.ctx.fail(TIMED_OUT);
    }
  }

  /**
   * One request from its first handler to its response's end: its place in the list, its meters and its access-log
   * line.
   */
  private final class InFlight implements Handler<AsyncResult<Void>> {
    final RoutingContext ctx;
    final String id;
    final long start;
    InFlight older;
    InFlight newer;
    boolean listed;

    InFlight(RoutingContext ctx, String id, long start) {
      this.ctx = ctx;
      this.id = id;
      this.start = start;
    }

    void enlist() {
      listed = true;
      older = newest;
      if (newest == null) {
        oldest = this;
      } else {
        newest.newer = this;
      }
      newest = this;
    }

    void delist() {
      if (!listed) {
        return;
      }
      listed = false;
      if (older == null) {
        oldest = newer;
      } else {
        older.newer = newer;
      }
      if (newer == null) {
        newest = older;
      } else {
        newer.older = older;
      }
      older = null;
      newer = null;
    }

    /** The response ended or its connection closed (not counted as answered, as Vert.x's meters did not). */
    @Override
    public void handle(AsyncResult<Void> ended) {
      delist();
      long nanos = System.nanoTime() - start;
      RouteTemplates.Matched route = routes.match(ctx.request().method(), ctx.normalizedPath());
      int status = ctx.response().getStatusCode();
      if (ended.succeeded()) {
        route.meters().record(status, nanos);
      }
      if (accessLog) {
        logAccess(route.template(), ctx.request().method().name(), status, id, nanos);
      }
    }
  }

  /**
   * One line, built in one pre-sized buffer (no placeholder parsing per request); {@code logback.xml} hands it to
   * {@link AccessLogAppender}, so the event loop never waits for the console.
   */
  private static void logAccess(String route, String method, int status, String id, long nanos) {
    if (!access.isInfoEnabled()) {
      return;
    }
    StringBuilder line = new StringBuilder(64 + id.length() + method.length() + route.length())
        .append("http.access request=").append(id)
        .append(" method=").append(method)
        .append(" route=").append(route)
        .append(" status=").append(status)
        .append(" duration_ms=").append(nanos / 1_000_000);
    access.info(line.toString());
  }

  /**
   * A random version-4 UUID. A request id only correlates log lines and is echoed to its client, so it needs no
   * secure random source; {@code UUID.randomUUID()} draws from {@code SecureRandom} (a SHA digest per id), which was
   * measurable on a hot product read.
   */
  static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(high, low).toString();
  }

  private static CharSequence[] optimized(String name, String value) {
    return new CharSequence[] {HttpHeaders.createOptimized(name), HttpHeaders.createOptimized(value)};
  }

  static String requestId(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
