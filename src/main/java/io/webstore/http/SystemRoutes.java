package io.webstore.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.bootstrap.Services;

/**
 * Public operational endpoints: liveness, readiness (up or down only), the OpenAPI contract and the JWKS. Metrics and
 * the readiness details are on the management port ({@link ManagementVerticle}).
 */
final class SystemRoutes {

  private final Services services;
  private final String contractText;

  SystemRoutes(Services services, String contractText) {
    this.services = services;
    this.contractText = contractText;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("getLiveness").addHandler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    builder.getRoute("getReadiness").addHandler(this::readiness);
    builder.getRoute("getOpenApi").addHandler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml")
        .end(contractText));
    builder.getRoute("getJwks").addHandler(ctx -> ctx.response()
        .putHeader("Cache-Control", "public, max-age=300")
        .putHeader("Content-Type", "application/json")
        .end(services.authKeys().jwks().toBuffer()));
  }

  /** Up or down, nothing more: which dependency is down, and why, is for the management port only. */
  private void readiness(RoutingContext ctx) {
    services.readiness().report()
        .onSuccess(report -> ctx.response()
            .setStatusCode(report.up() ? 200 : 503)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(new JsonObject().put("status", report.up() ? "UP" : "DOWN").toBuffer()))
        .onFailure(ctx::fail);
  }
}
