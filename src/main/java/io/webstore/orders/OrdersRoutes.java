package io.webstore.orders;

import io.vertx.ext.web.RoutingContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.payment.PaymentClient;
import io.webstore.platform.money.Amount;
import io.webstore.platform.money.AmountJson;
import java.util.Optional;

/** HTTP handlers of the order operations: request to {@link OrdersClient} call, reply to response. */
final class OrdersRoutes {

  private static final int DEFAULT_LIMIT = 20;

  private final OrdersClient orders;
  private final PaymentClient payments;

  OrdersRoutes(OrdersClient orders, PaymentClient payments) {
    this.orders = orders;
    this.payments = payments;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("listMyOrders").addHandler(this::listMine);
    builder.getRoute("getMyOrder").addHandler(this::getMine);
    builder.getRoute("cancelMyOrder").addHandler(this::cancelMine);
    builder.getRoute("adminListOrders").addHandler(this::adminList);
    builder.getRoute("adminSetOrderStatus").addHandler(this::adminSetStatus);
    builder.getRoute("adminRefundOrder").addHandler(this::adminRefund);
    builder.getRoute("adminReleaseOrder").addHandler(this::adminRelease);
  }

  private void listMine(RoutingContext ctx) {
    orders.list(subject(ctx), limit(ctx), query(ctx, "cursor"))
        .compose(page -> ctx.json(OrderJson.pageView(page)))
        .onFailure(ctx::fail);
  }

  private void getMine(RoutingContext ctx) {
    orders.get(ctx.pathParam("id"), Optional.of(subject(ctx)))
        .compose(order -> ctx.json(OrderJson.view(order)))
        .onFailure(ctx::fail);
  }

  private void cancelMine(RoutingContext ctx) {
    orders.cancel(ctx.pathParam("id"), subject(ctx))
        .compose(order -> ctx.json(OrderJson.view(order)))
        .onFailure(ctx::fail);
  }

  private void adminList(RoutingContext ctx) {
    orders.adminList(query(ctx, "status"), limit(ctx), query(ctx, "cursor"))
        .compose(page -> ctx.json(OrderJson.pageView(page)))
        .onFailure(ctx::fail);
  }

  private void adminSetStatus(RoutingContext ctx) {
    orders.setStatus(ctx.pathParam("id"), ctx.body().asJsonObject().getString("status"))
        .compose(order -> ctx.json(OrderJson.view(order)))
        .onFailure(ctx::fail);
  }

  private void adminRelease(RoutingContext ctx) {
    orders.release(ctx.pathParam("id"))
        .compose(order -> ctx.json(OrderJson.view(order)))
        .onFailure(ctx::fail);
  }

  /**
   * Refunds the payment of the order (its key is on the order), once per {@code Idempotency-Key} when one is given; the
   * amount's and the key's shapes are checked by the contract. A repeated key is answered with {@code
   * Idempotent-Replayed: true}.
   */
  private void adminRefund(RoutingContext ctx) {
    JsonObject body = ctx.body().isEmpty() ? new JsonObject() : ctx.body().asJsonObject();
    Optional<Amount> amount = Optional.ofNullable(body.getJsonObject("amount")).map(AmountJson::fromJson);
    Optional<String> key = Optional.ofNullable(ctx.request().getHeader("Idempotency-Key"));
    orders.get(ctx.pathParam("id"), Optional.empty())
        .compose(order -> payments.refund(order.paymentKey(), amount, key))
        .compose(refund -> {
          if (refund.getJsonObject("refund").getBoolean("replayed")) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
          }
          return ctx.json(refund);
        })
        .onFailure(ctx::fail);
  }

  private static int limit(RoutingContext ctx) {
    return query(ctx, "limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT); // range checked by the contract
  }

  private static Optional<String> query(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.queryParams().get(name)).filter(value -> !value.isEmpty());
  }

  private static String subject(RoutingContext ctx) {
    return ctx.user().principal().getString("sub"); // BearerAuth has required it
  }
}
