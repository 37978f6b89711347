package io.webstore.events;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** HTTP handlers of the operators' event endpoints (admin group, checked by the HTTP layer for /api/v1/admin/). */
final class EventsRoutes {

  private final EventsClient events;

  EventsRoutes(EventsClient events) {
    this.events = events;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("adminListEvents").addHandler(this::list);
    builder.getRoute("adminRetryEvent").addHandler(this::retry);
  }

  private void list(RoutingContext ctx) {
    events.list(ctx.queryParams().get("subject"))
        .compose(ctx::json)
        .onFailure(ctx::fail);
  }

  private void retry(RoutingContext ctx) {
    events.retry(ctx.pathParam("id"))
        .compose(ctx::json)
        .onFailure(ctx::fail);
  }
}
