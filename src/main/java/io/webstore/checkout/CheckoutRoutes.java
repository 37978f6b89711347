package io.webstore.checkout;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.error.Problem;
import java.util.Optional;
import java.util.function.Function;

/**
 * The HTTP handler of {@code POST /api/v1/checkout}: sends the checkout's answer exactly as stored (status, body,
 * {@code Location}), so a replay is byte for byte the first response; {@code Idempotent-Replayed: true} marks replays.
 * Passes on what the fraud screening needs of the request besides its body: the client's address and {@code
 * X-Device-Id}.
 */
final class CheckoutRoutes {

  private final CheckoutClient checkout;
  private final Function<HttpServerRequest, String> clientAddress;

  CheckoutRoutes(CheckoutClient checkout, Function<HttpServerRequest, String> clientAddress) {
    this.checkout = checkout;
    this.clientAddress = clientAddress;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("checkout").addHandler(this::place);
  }

  private void place(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key"); // presence and shape checked by the contract
    checkout.place(ctx.user().principal().getString("sub"), key, ctx.body().asJsonObject(),
            clientAddress.apply(ctx.request()), Optional.ofNullable(ctx.request().getHeader("X-Device-Id")))
        .compose(reply -> {
          StoredResponse response = reply.response();
          var http = ctx.response().setStatusCode(response.status()).putHeader("Cache-Control", "no-store");
          if (response.status() < 400) {
            http.putHeader("Content-Type", "application/json");
          } else {
            Problem.headersFor(response.status(), 0).forEach(http::putHeader); // a replayed 503 says when to retry
          }
          response.location().ifPresent(location -> http.putHeader("Location", location));
          if (reply.replayed()) {
            http.putHeader("Idempotent-Replayed", "true");
          }
          return http.end(response.body());
        })
        .onFailure(ctx::fail);
  }
}
