package io.webstore.checkout;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.http.ProblemHandler;

/**
 * The HTTP handler of {@code POST /api/v1/checkout}: sends the checkout's answer exactly as stored (status, body,
 * {@code Location}), so a replay is byte for byte the first response; {@code Idempotent-Replayed: true} marks replays.
 */
final class CheckoutRoutes {

  private final CheckoutClient checkout;

  CheckoutRoutes(CheckoutClient checkout) {
    this.checkout = checkout;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("checkout").addHandler(this::place);
  }

  private void place(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key"); // presence and shape checked by the contract
    checkout.place(ctx.user().principal().getString("sub"), key, ctx.body().asJsonObject())
        .compose(reply -> {
          StoredResponse response = reply.response();
          var http = ctx.response().setStatusCode(response.status())
              .putHeader("Content-Type", response.status() < 400 ? "application/json" : ProblemHandler.PROBLEM_JSON)
              .putHeader("Cache-Control", "no-store");
          response.location().ifPresent(location -> http.putHeader("Location", location));
          if (response.status() == 503) {
            http.putHeader("Retry-After", "1"); // a stored or replayed 503 says when to retry, like the router's
          }
          if (reply.replayed()) {
            http.putHeader("Idempotent-Replayed", "true");
          }
          return http.end(response.body());
        })
        .onFailure(ctx::fail);
  }
}
