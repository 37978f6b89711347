package io.webstore.http;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.webstore.platform.error.Problem;

/**
 * Answers what the HTTP decoder could not read (Vert.x's own answer is a bare status): a too-long request line is 414,
 * too-large headers 431, anything else unreadable 400, each as problem+json, and the connection is closed since its
 * byte stream can no longer be trusted. (More header fields than allowed is 431 too: {@link RequestContextHandler}.)
 */
final class InvalidRequests {

  static final Problem URI_TOO_LONG = new Problem(414, "uri-too-long", "URI too long",
      "the request line (method, path and query) is longer than the limit");
  static final Problem HEADERS_TOO_LARGE = new Problem(431, "request-header-fields-too-large",
      "Request header fields too large", "the request headers are larger than the limit");
  static final Problem UNREADABLE = new Problem(400, "bad-request", "Bad request",
      "the request could not be read as HTTP");

  private InvalidRequests() {}

  /** The server's {@code invalidRequestHandler}. */
  static Handler<HttpServerRequest> handler() {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      Problem problem = cause instanceof TooLongHttpLineException ? URI_TOO_LONG
          : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException ? HEADERS_TOO_LARGE
          : UNREADABLE;
      var response = request.response().setStatusCode(problem.status()).putHeader("Connection", "close");
      problem.headers().forEach(response::putHeader);
      response.end(problem.toJson(instance(request)).toBuffer())
          .onComplete(done -> request.connection().close());
    };
  }

  /** The path when the decoder got that far; an unreadable request line has none worth echoing. */
  private static String instance(HttpServerRequest request) {
    String path = request.path();
    return path == null || path.length() > 256 || !path.startsWith("/") ? "/" : path;
  }
}
