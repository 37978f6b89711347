package io.webstore.payment;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.time.Clock;
import java.util.List;

/**
 * Payments: authorizations, captures, voids and refunds recorded in the {@code payments} table in front of the
 * provider chosen by {@code payment.provider} ({@link SandboxProvider} by default, {@link HttpPaymentProvider}), and
 * the provider's signed webhooks.
 */
public final class PaymentFeature implements Feature {

  @Override
  public String name() {
    return "payment";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(DynamoPaymentGateway.TABLE);
  }

  @Override
  public Future<?> deploy(Services services) {
    PaymentSettings settings = PaymentSettings.from(services.config());
    String table = services.config().dynamo().table(DynamoPaymentGateway.TABLE.name());
    PaymentProvider provider = settings.provider().equals("http")
        ? new HttpPaymentProvider(services.vertx(), settings.httpUrl().orElseThrow(), settings.httpSecret(),
            settings.attemptTimeout())
        : new SandboxProvider(services.vertx());
    DynamoPaymentGateway gateway = new DynamoPaymentGateway(services.vertx(), services.aws().dynamo(), table,
        services.meters(), provider, new ProviderCalls(services.vertx(), services.meters(), settings),
        Clock.systemUTC());
    Webhooks webhooks = new Webhooks(services.vertx(), services.aws().dynamo(), table, services.meters(),
        new WebhookVerifier(settings.webhookSecret(), settings.webhookTolerance(), Clock.systemUTC()), gateway,
        Clock.systemUTC());
    return services.vertx().deployVerticle(new PaymentVerticle(gateway, webhooks, services.meters()));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    new PaymentRoutes(services.vertx(), services.config().http().requestTimeout()).mount(builder);
  }
}
