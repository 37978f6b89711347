package io.webstore.http;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.metrics.HttpServerMeters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the REST API: routes come from {@code openapi.yaml} (the contract), each operation bound by its feature;
 * handlers only translate between HTTP and the features' event-bus addresses. One instance per core share the port.
 */
public final class HttpVerticle extends VerticleBase {

  /** Classpath location of the contract. */
  public static final String CONTRACT = "openapi.yaml";

  private final Services services;
  private final List<Feature> features;
  private final Contract contract;
  private final AtomicInteger openConnections;
  private HttpServer server;

  /**
   * The parsed contract and its text, read once per process ({@link #loadContract}) and shared by every instance:
   * nothing changes either once parsed (each instance builds its own router and validators from it).
   */
  public record Contract(OpenAPIContract parsed, String text) {}

  /**
   * @param openConnections the API connections open now, shared by every instance of one store (the gauge {@value
   *     HttpServerMeters#OPEN_CONNECTIONS})
   */
  public HttpVerticle(Services services, List<Feature> features, Contract contract, AtomicInteger openConnections) {
    this.services = services;
    this.features = features;
    this.contract = contract;
    this.openConnections = openConnections;
  }


  /** Reads and parses {@link #CONTRACT}: hundreds of milliseconds of a cold start, so once, not per instance. */
  public static Future<Contract> loadContract(Vertx vertx) {
    return OpenAPIContract.from(vertx, CONTRACT)
        .compose(parsed -> vertx.fileSystem().readFile(CONTRACT)
            .map(text -> new Contract(parsed, text.toString())));
  }

  @Override
  public Future<?> start() {
    WebstoreConfig.Http http = services.config().http();
    ServerLimits limits = ServerLimits.from(services.config());
    Counter headTimeouts = Counter.builder("webstore.http.request_head_timeouts")
        .description("Connections closed because a request head did not arrive in time")
        .register(services.meters());
    return RateLimitHandlers.create(vertx, services)
        .map(rateLimits -> buildRouter(contract.parsed(), contract.text(), limits, rateLimits))
        .compose(router -> vertx.createHttpServer(limits.applyTo(new HttpServerOptions()
                .setHost(http.host())
                .setPort(http.port())
                .setCompressionSupported(true)
                // the API serves no WebSockets; with either on, Netty's WebSocket extension handler sits in every
                // connection's pipeline and looks at every request and response
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)))
            .connectionHandler(connection -> {
              openConnections.incrementAndGet();
              connection.closeHandler(closed -> openConnections.decrementAndGet());
              RequestHeadTimeout.install(connection, limits.requestHeadTimeoutMs(), headTimeouts);
            })
            .invalidRequestHandler(InvalidRequests.handler())
            .requestHandler(router)
            .listen())
        .onSuccess(started -> server = started);
  }

  private Router buildRouter(OpenAPIContract contract, String contractText, ServerLimits limits,
      RateLimitHandlers rateLimits) {
    WebstoreConfig.Http http = services.config().http();
    RouteTemplates templates = new RouteTemplates(contract, new HttpServerMeters(services.meters()));
    RequestExtractor extractor = RequestExtractor.withBodyHandler();
    RouterBuilder builder = RouterBuilder.create(vertx, contract, extractor)
        .rootHandler(new RequestContextHandler(vertx, http.accessLog(), templates, limits.maxHeaderCount(),
            http.requestTimeout().toMillis()));
    if (!http.corsOrigins().isEmpty()) {
      builder.rootHandler(CorsHandler.create()
          .addOrigins(http.corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
              HttpMethod.DELETE))
          .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id",
              "X-Session-Id", "If-None-Match", "If-Match"))
          .exposedHeaders(Set.of("X-Request-Id", "X-Session-Id", "Location", "ETag", "Retry-After")));
    }
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes()));
    builder.rootHandler(rateLimits.perClient());
    builder.security("bearerAuth").httpHandler(new BearerAuth(services.authKeys().tokens()));

    new ContractValidation(contract).mount(builder, extractor); // first: nothing unvalidated reaches a handler
    new SystemRoutes(services, contractText).mount(builder);
    rateLimits.mount(builder); // before the features' handlers, so a limited request never reaches them
    features.forEach(feature -> feature.mount(builder, services));
    requireEveryOperationBound(contract, builder);

    Router router = builder.createRouter();
    ProblemHandler problems = new ProblemHandler();
    router.route().failureHandler(problems);
    router.errorHandler(404, problems);
    router.errorHandler(405, problems);
    router.errorHandler(500, problems);
    return router;
  }

  /** An operation in the contract without a handler would silently 404: refuse to start instead. */
  private static void requireEveryOperationBound(OpenAPIContract contract, RouterBuilder builder) {
    List<String> unbound = new ArrayList<>();
    for (Path path : contract.getPaths()) {
      for (Operation operation : path.getOperations()) {
        if (builder.getRoute(operation.getOperationId()).getHandlers().stream()
            .allMatch(ContractValidation::isValidation)) {
          unbound.add(operation.getOperationId());
        }
      }
    }
    if (!unbound.isEmpty()) {
      throw new IllegalStateException("openapi.yaml operations without a handler: " + unbound);
    }
  }

  /** Stops accepting connections and lets in-flight requests finish, up to the drain timeout. */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    return server.shutdown(services.config().http().drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }
}
