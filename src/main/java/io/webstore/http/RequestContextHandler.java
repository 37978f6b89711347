package io.webstore.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every request: accepts a sane {@code X-Request-Id} or makes one and echoes it, sets the security
 * headers, and writes one access-log line (route template, status, duration) when the response ends.
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

  private final boolean accessLog;
  private final Function<RoutingContext, String> routeTemplate;

  RequestContextHandler(boolean accessLog, Function<RoutingContext, String> routeTemplate) {
    this.accessLog = accessLog;
    this.routeTemplate = routeTemplate;
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
    if (accessLog) {
      ctx.addEndHandler(done -> logAccess(ctx, id, start));
    }
    ctx.next();
  }

  /**
   * One line, built in one pre-sized buffer (no placeholder parsing per request); {@code logback.xml} hands it to an
   * asynchronous appender, so the event loop never waits for the console.
   */
  private void logAccess(RoutingContext ctx, String id, long start) {
    if (!access.isInfoEnabled()) {
      return;
    }
    String route = routeTemplate.apply(ctx);
    String method = ctx.request().method().name();
    StringBuilder line = new StringBuilder(64 + id.length() + method.length() + route.length())
        .append("http.access request=").append(id)
        .append(" method=").append(method)
        .append(" route=").append(route)
        .append(" status=").append(ctx.response().getStatusCode())
        .append(" duration_ms=").append((System.nanoTime() - start) / 1_000_000);
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
