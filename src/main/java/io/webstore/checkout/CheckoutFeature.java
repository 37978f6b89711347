package io.webstore.checkout;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.ratelimit.ClientAddress;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Checkout: turns a customer's cart into an order exactly once per {@code Idempotency-Key}, with stock held and
 * committed, payment screened for fraud and authorized, and a recovery that settles checkouts a crash left unfinished.
 * Needs the cart, catalog, inventory, payment, fraud and orders features (a fraud feature that does not answer is taken
 * as {@code checkout.onFraudUnavailable}).
 */
public final class CheckoutFeature implements Feature {

  private final UnaryOperator<SagaPorts> decorate;

  public CheckoutFeature() {
    this(UnaryOperator.identity());
  }

  /** A checkout whose requests run over {@code decorate} of the ports (tests wrap them). */
  CheckoutFeature(UnaryOperator<SagaPorts> decorate) {
    this.decorate = decorate;
  }

  @Override
  public String name() {
    return "checkout";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(DynamoIdempotencyStore.TABLE);
  }

  @Override
  public Future<?> deploy(Services services) {
    CheckoutSettings settings = CheckoutSettings.from(services.config());
    var vertx = services.vertx();
    IdempotencyStore records = new DynamoIdempotencyStore(vertx, services.aws().dynamo(),
        services.config().dynamo().table(DynamoIdempotencyStore.TABLE.name()), services.meters());
    SagaPorts ports = ClientPorts.of(vertx, settings, records);
    // requests run over the ports as given; the recovery always over the plain ones
    SagaPorts requestPorts = decorate.apply(ports);
    Settlement requestSettlement = new Settlement(requestPorts);
    Clock clock = Clock.systemUTC();
    return vertx.deployVerticle(() -> new CheckoutVerticle(() -> new CheckoutFlow(vertx, settings, requestPorts,
                requestSettlement, services.meters(), clock)),
            new DeploymentOptions().setInstances(settings.instances()))
        .compose(checkout -> vertx.deployVerticle(new CheckoutRecoveryVerticle(
                () -> new CheckoutRecovery(records, new Settlement(ports), settings, services.meters(), clock),
                settings))
            .map(recovery -> List.of(checkout, recovery)));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    var trustedProxyHeader = services.config().section("http").optionalString("trustedProxyHeader");
    new CheckoutRoutes(new CheckoutClient(services.vertx(), services.config().http().requestTimeout()),
        request -> ClientAddress.of(request, trustedProxyHeader)).mount(builder);
  }
}
