package io.webstore.platform.error;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RFC 9457 problem document and the one way to render it: the router's failure handler and the checkout's stored
 * answers both go through here, so every 503 and 429 (and a 409 {@code in-progress}) carries {@code Retry-After} and no
 * extension can overwrite a standard member ({@link #RESERVED}).
 *
 * @param status            HTTP status
 * @param slug              the {@code type} is {@code /problems/<slug>}
 * @param title             short, the same for every problem of this type
 * @param detail            this occurrence, for the client
 * @param extensions        extra members ({@code errors}, {@code skus}, ...); reserved names among them are dropped
 * @param retryAfterSeconds the {@code Retry-After} of a 503 or 429 (at least 1 is sent); above 0, sent with any status
 */
public record Problem(int status, String slug, String title, String detail, JsonObject extensions,
    long retryAfterSeconds) {

  /** Media type of every error answer. */
  public static final String JSON = "application/problem+json";
  /** The members RFC 9457 defines: extensions may not use these names. */
  public static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "instance");

  private static final Logger log = LoggerFactory.getLogger(Problem.class);

  public Problem {
    extensions = extensions == null ? new JsonObject() : extensions;
  }

  public Problem(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, new JsonObject(), 0);
  }

  public static Problem of(Kind kind, String detail, JsonObject extensions) {
    return new Problem(kind.status(), kind.slug(), kind.title(), detail, extensions, 0);
  }

  public static Problem of(DomainException error) {
    long retryAfter = error instanceof RateLimited limited ? limited.retryAfterSeconds()
        : error instanceof InProgress running ? running.retryAfterSeconds() : 0;
    return new Problem(error.kind().status(), error.kind().slug(), error.kind().title(), error.detail(),
        error.extensions(), retryAfter);
  }

  /** The document; {@code instance} is the request path. */
  public JsonObject toJson(String instance) {
    JsonObject body = new JsonObject()
        .put("type", "/problems/" + slug)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", instance);
    extensions.forEach(entry -> {
      if (RESERVED.contains(entry.getKey())) {
        // a programming error in the code that raised the problem: the standard member wins
        log.warn("problem.extension_dropped type={} name={}", slug, entry.getKey());
      } else {
        body.put(entry.getKey(), entry.getValue());
      }
    });
    return body;
  }

  /** Headers that go with this problem ({@code Retry-After}; the 401 challenge is the HTTP layer's). */
  public Map<String, String> headers() {
    return headersFor(status, retryAfterSeconds);
  }

  /**
   * Headers of any answer with this status, also of a stored one replayed later: a 503 or 429 always says when to
   * retry (whole seconds, at least 1), another status when {@code retryAfterSeconds} is above 0.
   */
  public static Map<String, String> headersFor(int status, long retryAfterSeconds) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", JSON);
    if (status == 503 || status == 429 || retryAfterSeconds > 0) {
      headers.put("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }
    return headers;
  }
}
