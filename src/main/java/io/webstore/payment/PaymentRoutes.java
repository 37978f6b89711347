package io.webstore.payment;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.error.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP handler of {@code POST /api/v1/payments/webhooks/{provider}}: hands the raw body (as sent: the signature is
 * over those bytes) and the signature headers to {@value PaymentClient#WEBHOOK}, which verifies and records it.
 */
final class PaymentRoutes {

  private final Vertx vertx;
  private final DeliveryOptions options;

  PaymentRoutes(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("paymentWebhook").addHandler(this::webhook);
  }

  private void webhook(RoutingContext ctx) {
    JsonObject event = new JsonObject()
        .put("provider", ctx.pathParam("provider"))
        .put("timestamp", ctx.request().getHeader(WebhookVerifier.TIMESTAMP))
        .put("signature", ctx.request().getHeader(WebhookVerifier.SIGNATURE))
        .put("body", ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8));
    vertx.eventBus().<JsonObject>request(PaymentClient.WEBHOOK, event, options)
        .map(reply -> reply.body())
        .recover(Replies::recover)
        .compose(ctx::json)
        .onFailure(ctx::fail);
  }
}
