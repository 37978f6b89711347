package io.webstore.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.metrics.HttpServerMeters;
import java.util.List;

/**
 * The management server, on its own port ({@code management.port}): Prometheus {@code /metrics} and the readiness
 * details ({@code /health/ready} naming each check, its duration and error). It is meant for the platform's scrapers
 * and probes, not for clients, so nothing here is on the public API port. It starts before the engines are
 * provisioned, so a slow start-up can be watched here.
 */
public final class ManagementVerticle extends VerticleBase {

  private static final String METRICS = "/metrics";
  private static final String READY = "/health/ready";
  private static final String LIVE = "/health/live";

  private final Services services;
  private final ManagementSettings settings;
  private HttpServer server;

  public ManagementVerticle(Services services, ManagementSettings settings) {
    this.services = services;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // request ids and security headers only: no header-count limit and no timeout here, as before
    RouteTemplates routes = new RouteTemplates(HttpMethod.GET, List.of(METRICS, READY, LIVE),
        new HttpServerMeters(services.meters()));
    router.route().handler(new RequestContextHandler(vertx, false, routes, Integer.MAX_VALUE, 0));
    router.get(METRICS).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(services.meters().scrape()));
    router.get(READY).handler(this::readiness);
    router.get(LIVE).handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    ProblemHandler problems = new ProblemHandler();
    router.route().failureHandler(problems);
    router.errorHandler(404, problems);
    router.errorHandler(405, problems);
    router.errorHandler(500, problems);
    return vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
        .requestHandler(router)
        .listen()
        .onSuccess(started -> server = started);
  }

  private void readiness(RoutingContext ctx) {
    services.readiness().report()
        .onSuccess(report -> ctx.response()
            .setStatusCode(report.up() ? 200 : 503)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(report.toJson().toBuffer()))
        .onFailure(ctx::fail);
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }
}
