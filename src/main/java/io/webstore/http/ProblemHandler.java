package io.webstore.http;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.Kind;
import io.webstore.platform.error.Problem;
import io.webstore.platform.error.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's only failure handler: renders every failure, 404 and 405 included, as RFC 9457 {@code
 * application/problem+json}. Never writes a stack trace or an internal message to the client.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  public static final String PROBLEM_JSON = Problem.JSON;
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset(); // the response is already under way: cutting it is all that is left
      return;
    }
    Throwable failure = Replies.toDomain(ctx.failure());
    Problem problem = problemFor(ctx, failure);
    if (problem.status() >= 500 && problem.status() != 503) {
      log.error("http.failure request={} method={} path={} status={}", RequestContextHandler.requestId(ctx),
          ctx.request().method(), ctx.normalizedPath(), problem.status(), failure);
    }
    send(ctx, problem);
  }

  static Problem problemFor(RoutingContext ctx, Throwable failure) {
    if (failure instanceof DomainException domain) {
      return Problem.of(domain);
    }
    if (failure instanceof ReplyException) {
      return of(Kind.UNAVAILABLE, "a service did not answer in time; retry shortly", null);
    }
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException invalid) {
      return validation(invalid);
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> of(Kind.BAD_REQUEST, "the request could not be read", null);
      case 401 -> of(Kind.UNAUTHORIZED, "a valid bearer token is required", null);
      case 403 -> of(Kind.FORBIDDEN, "you may not do this", null);
      case 404 -> of(Kind.NOT_FOUND, "no resource at " + ctx.normalizedPath(), null);
      case 405 -> new Problem(405, "method-not-allowed", "Method not allowed",
          ctx.request().method() + " is not allowed on " + ctx.normalizedPath());
      case 413 -> new Problem(413, "payload-too-large", "Payload too large",
          "the request body is larger than the limit");
      case 414 -> InvalidRequests.URI_TOO_LONG;
      case 431 -> InvalidRequests.HEADERS_TOO_LARGE;
      case 415 -> new Problem(415, "unsupported-media-type", "Unsupported media type",
          "send the body as application/json");
      case 429 -> of(Kind.RATE_LIMITED, "too many requests; retry later", null);
      case 503 -> of(Kind.UNAVAILABLE, "the request took too long; retry shortly", null);
      default -> new Problem(500, "internal", "Internal error",
          "something went wrong on our side; the request id identifies it");
    };
  }

  private static Problem validation(ValidatorException invalid) {
    if (invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT) {
      return new Problem(415, "unsupported-media-type", "Unsupported media type",
          "send the body as application/json");
    }
    if (invalid instanceof SchemaValidationException schema && invalid.getMessage().contains("body")) {
      return of(Kind.VALIDATION, "the request body does not match the schema",
          new JsonObject().put("errors", errors(schema.getOutputUnit())));
    }
    if (invalid.type() == ValidatorErrorType.ILLEGAL_VALUE && invalid.getMessage().contains("body")) {
      return of(Kind.BAD_REQUEST, "the request body is not valid JSON", null);
    }
    return of(Kind.BAD_REQUEST, invalid.getMessage(), new JsonObject().put("errors", new JsonArray()
        .add(new JsonObject().put("pointer", "").put("detail", invalid.getMessage()))));
  }

  private static JsonArray errors(OutputUnit unit) {
    JsonArray errors = new JsonArray();
    if (unit.getErrors() != null) {
      for (OutputUnit error : unit.getErrors()) {
        if (error.getError() == null) {
          continue;
        }
        String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
        errors.add(new JsonObject()
            .put("pointer", location.startsWith("#") ? location.substring(1) : location)
            .put("keyword", error.getKeywordLocation())
            .put("detail", error.getError()));
      }
    }
    return errors;
  }

  private static Problem of(Kind kind, String detail, JsonObject extensions) {
    return Problem.of(kind, detail, extensions);
  }

  /** Writes a problem document (also used for failures that never reach the router, such as 404). */
  public static void send(RoutingContext ctx, Problem problem) {
    var response = ctx.response().setStatusCode(problem.status());
    problem.headers().forEach(response::putHeader);
    if (problem.status() == 401) {
      String error = problem.extensions().getString("error");
      response.putHeader("WWW-Authenticate", "Bearer realm=\"webstore\"" + (error == null ? ""
          : ", error=\"" + error + "\", error_description=\"" + problem.detail().replace("\"", "'") + "\""));
    }
    response.end(problem.toJson(ctx.request().path()).toBuffer());
  }
}
