package io.webstore.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.bootstrap.Services;

/** Operational endpoints: liveness, readiness, Prometheus metrics, the OpenAPI contract and the JWKS. */
final class SystemRoutes {

  private final Services services;
  private final String contractText;

  SystemRoutes(Services services, String contractText) {
    this.services = services;
    this.contractText = contractText;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("getLiveness").addHandler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "UP")));
    builder.getRoute("getReadiness").addHandler(this::readiness);
    builder.getRoute("getMetrics").addHandler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(services.meters().scrape()));
    builder.getRoute("getOpenApi").addHandler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml")
        .end(contractText));
    builder.getRoute("getJwks").addHandler(ctx -> ctx.response()
        .putHeader("Cache-Control", "public, max-age=300")
        .putHeader("Content-Type", "application/json")
        .end(services.authKeys().jwks().toBuffer()));
  }

  private void readiness(RoutingContext ctx) {
    services.readiness().report()
        .onSuccess(report -> ctx.response()
            .setStatusCode("UP".equals(report.getString("status")) ? 200 : 503)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(report.toBuffer()))
        .onFailure(ctx::fail);
  }
}
