package io.webstore.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks every HTTP response a test receives against the contract, {@code src/main/resources/openapi.yaml}.
 *
 * <p>Every {@link WebClient} of the tests comes from {@link #client}, which adds a Web Client interceptor (the SPI that
 * Vert.x's own session and caching clients are built on), so a test cannot receive a response that was not checked,
 * however it builds its request. The request's method and path find the operation ({@code findOperation}, by path
 * template); then:
 * <ul>
 *   <li>the status must be declared for that operation (an undeclared status is a violation);</li>
 *   <li>vertx-openapi's {@link ResponseValidator} checks the declared headers and, for declared JSON content, the body
 *   against its schema (response schemas are closed, so a field the contract does not name is a violation);</li>
 *   <li>every {@code application/problem+json} body, also of requests that are not operations, is checked against the
 *   contract's shared {@code Problem} schema, and its {@code status} must be the response's. vertx-openapi 5.0.7 does
 *   not load {@code application/problem+json} as response content, so the contract declares problem statuses without
 *   content and this separate check gives their bodies a schema.</li>
 * </ul>
 *
 * <p>Exempt, by rule: responses to requests that are not operations of the contract (404 and 405 for unknown paths or
 * methods, CORS preflight {@code OPTIONS}: only their problem body is checked), the management port (its clients are
 * made with {@link #unchecked}: scrapers' and probes' endpoints are not the public API), and raw sockets (they are not
 * HTTP clients). A violation fails the request's future and is recorded in {@link ContractViolations}, which fails the
 * running test even if the test swallowed the failed future.
 */
public final class ContractCheck {

  private static final String CONTRACT = "openapi.yaml";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static ContractCheck shared;

  private final OpenAPIContract contract;
  private final Validator problem;

  private ContractCheck(OpenAPIContract contract) {
    this.contract = contract;
    JsonObject problemSchema = contract.getRawContract().getJsonObject("components").getJsonObject("schemas")
        .getJsonObject("Problem");
    this.problem = Validator.create(JsonSchema.of(problemSchema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app:///problem"));
  }

  /** The contract, loaded once per test JVM (from the classpath, as the store loads it). */
  public static synchronized ContractCheck shared() {
    if (shared == null) {
      Vertx loader = Vertx.vertx();
      try {
        shared = new ContractCheck(Engines.await(OpenAPIContract.from(loader, CONTRACT), Duration.ofSeconds(60)));
      } finally {
        Engines.await(loader.close());
      }
    }
    return shared;
  }

  /** A response validator of the contract on this Vert.x instance (it validates on a worker of it). */
  public ResponseValidator validator(Vertx vertx) {
    return ResponseValidator.create(vertx, contract);
  }

  /** A web client whose every response is checked against the contract. */
  public static WebClient client(Vertx vertx, WebClientOptions options, PoolOptions pool) {
    WebClientInternal client = (WebClientInternal) WebClient.create(vertx, options, pool);
    ContractCheck check = shared();
    ResponseValidator validator = check.validator(vertx);
    client.addInterceptor(context -> check.intercept(validator, context));
    return client;
  }

  public static WebClient client(Vertx vertx) {
    return client(vertx, new WebClientOptions(), new PoolOptions());
  }

  /** A web client for what is not the public API (the management port): its responses are not checked. */
  public static WebClient unchecked(Vertx vertx) {
    return WebClient.create(vertx);
  }

  private void intercept(ResponseValidator validator, HttpContext<?> context) {
    if (context.phase() != ClientPhase.DISPATCH_RESPONSE || !(context.response().body() instanceof Buffer
        || context.response().body() == null)) {
      context.next();
      return;
    }
    @SuppressWarnings("unchecked")
    HttpResponse<Buffer> response = (HttpResponse<Buffer>) context.response();
    HttpMethod method = context.requestOptions().getMethod();
    String uri = context.requestOptions().getURI();
    validate(validator, method, uri, response.statusCode(), response.headers(), response.body())
        .onComplete(checked -> {
      if (checked.succeeded()) {
        context.next();
      } else {
        ContractViolations.record("HTTP " + method + " " + uri + ": " + checked.cause().getMessage());
        context.fail(new AssertionError("response breaks openapi.yaml: " + method + " " + uri + " -> "
            + response.statusCode() + ": " + checked.cause().getMessage() + "; body: " + response.bodyAsString(),
            checked.cause()));
      }
    });
  }

  /** Checks one response (the status, headers and body a client received for this method and URI). */
  public Future<Void> validate(ResponseValidator validator, HttpMethod method, String uri, int status,
      MultiMap responseHeaders, Buffer body) {
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    String contentType = mediaType(responseHeaders.get("Content-Type"));
    try {
      if (PROBLEM_JSON.equals(contentType)) {
        checkProblem(status, body);
      }
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    Operation operation = contract.findOperation(path, method);
    if (operation == null) {
      return Future.succeededFuture(); // not an operation of the contract: exempt (see the class comment)
    }
    if (operation.getResponse(status) == null && operation.getDefaultResponse() == null) {
      return Future.failedFuture(new IllegalStateException("status " + status + " is not declared for operation "
          + operation.getOperationId()));
    }
    Map<String, String> headers = new HashMap<>();
    responseHeaders.forEach(header -> headers.putIfAbsent(header.getKey(), header.getValue()));
    ValidatableResponse validatable = body == null || body.length() == 0 || PROBLEM_JSON.equals(contentType)
        ? ValidatableResponse.create(status, headers)
        : ValidatableResponse.create(status, headers, body, contentType);
    return validator.validate(validatable, operation.getOperationId())
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new IllegalStateException("operation " + operation.getOperationId()
            + ", status " + status + ": " + describe(err), err)));
  }

  private void checkProblem(int status, Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      throw new IllegalStateException("problem response without a body");
    }
    JsonObject body;
    try {
      body = buffer.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("problem body is not a JSON object", e);
    }
    OutputUnit result = problem.validate(body);
    if (!result.getValid()) {
      throw new IllegalStateException("problem body breaks the Problem schema: " + result.getErrors());
    }
    if (body.getInteger("status") != status) {
      throw new IllegalStateException("problem status " + body.getInteger("status") + " differs from the response's "
          + status);
    }
  }

  private static String describe(Throwable err) {
    if (err instanceof io.vertx.openapi.validation.SchemaValidationException schema && schema.getOutputUnit() != null) {
      return err.getMessage() + " " + schema.getOutputUnit().getErrors();
    }
    return err.getMessage();
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase();
  }
}
