package io.webstore.payment;

import io.vertx.core.Future;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.time.Clock;
import java.util.List;

/**
 * Payments: authorizations and voids behind the {@link PaymentGateway} port. Until a real provider is wired (a later
 * issue), the {@link SandboxPaymentGateway} serves every profile.
 */
public final class PaymentFeature implements Feature {

  @Override
  public String name() {
    return "payment";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(SandboxPaymentGateway.TABLE);
  }

  @Override
  public Future<?> deploy(Services services) {
    PaymentGateway gateway = new SandboxPaymentGateway(services.vertx(), services.aws().dynamo(),
        services.config().dynamo().table(SandboxPaymentGateway.TABLE.name()), services.meters(), Clock.systemUTC());
    return services.vertx().deployVerticle(new PaymentVerticle(gateway, services.meters()));
  }
}
