package io.webstore.http;

import io.vertx.core.http.HttpServerOptions;
import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.util.concurrent.TimeUnit;

/**
 * What the HTTP server accepts from a client before any handler runs: how long a connection may stay idle, how long a
 * request head may take to arrive, and how large the request line and headers may be. Keys of the {@code http}
 * section, documented in README.md.
 *
 * @param idleTimeoutMs         a connection with no bytes in either direction for this long is closed
 * @param requestHeadTimeoutMs  a request head (request line and headers) must be complete this long after its first
 *                              byte (or after the connection opened); else the connection is closed
 * @param maxInitialLineLength  longest request line (method, URI, version): longer gets 414
 * @param maxHeaderSize         largest header block in bytes: larger gets 431
 * @param maxHeaderCount        most header fields: more gets 431
 */
public record ServerLimits(int idleTimeoutMs, int requestHeadTimeoutMs, int maxInitialLineLength, int maxHeaderSize,
    int maxHeaderCount) {

  public static ServerLimits from(WebstoreConfig config) {
    ConfigSection http = config.section("http");
    return new ServerLimits(
        http.integerOrDefault("idleTimeoutMs", 75_000, 1_000, 3_600_000),
        http.integerOrDefault("requestHeadTimeoutMs", 10_000, 100, 300_000),
        http.integerOrDefault("maxInitialLineLength", 8_192, 256, 1 << 20),
        http.integerOrDefault("maxHeaderSize", 16_384, 1_024, 1 << 20),
        http.integerOrDefault("maxHeaderCount", 100, 10, 10_000));
  }

  /** Applies the limits Vert.x enforces itself; the head timeout and header count are enforced by the store. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options
        // no h2c: with it Vert.x sets up a connection only once its first bytes show it is not HTTP/2, so a client
        // that never completes a request line would never reach the head timeout (the API is HTTP/1.1 behind the ALB)
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout(idleTimeoutMs)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(maxInitialLineLength)
        .setMaxHeaderSize(maxHeaderSize);
  }
}
