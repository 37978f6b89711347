package io.webstore.flags;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.error.Validation;
import java.util.OptionalLong;

/** The flags operations of openapi.yaml: translate between HTTP and {@link FlagsClient}. */
final class FlagsRoutes {

  private final FlagsClient flags;

  FlagsRoutes(FlagsClient flags) {
    this.flags = flags;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("getFlags").addHandler(this::evaluate);
    builder.getRoute("listFlags").addHandler(this::list);
    builder.getRoute("putFlag").addHandler(this::put);
  }

  private void evaluate(RoutingContext ctx) {
    flags.evaluate(ctx.user().principal().getString("sub"))
        .compose(values -> {
          // per caller, and an admin's change must show on the next request
          ctx.response().putHeader("Cache-Control", "private, no-store");
          return ctx.json(FlagJson.evaluation(values));
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    flags.list()
        .compose(listing -> ctx.json(FlagJson.listing(listing)))
        .onFailure(ctx::fail);
  }

  private void put(RoutingContext ctx) {
    String ifMatch = ctx.request().getHeader("If-Match"); // checked by openapi.yaml: digits, in ETag quotes or not
    OptionalLong expected = ifMatch == null
        ? OptionalLong.empty()
        : OptionalLong.of(Long.parseLong(ifMatch.replace("\"", "").trim()));
    // body shape checked by openapi.yaml; FlagJson.change re-checks it for callers on the bus
    FlagChange change;
    try {
      change = FlagJson.change(ctx.body().asJsonObject());
    } catch (Validation invalid) {
      ctx.fail(invalid);
      return;
    }
    flags.put(ctx.pathParam("name"), change, expected, ctx.user().principal().getString("sub"))
        .compose(saved -> {
          ctx.response().putHeader("ETag", "\"" + saved.version() + "\"");
          return ctx.json(FlagJson.toJson(saved));
        })
        .onFailure(ctx::fail);
  }
}
