package io.webstore.checkout;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.cart.CartClient;
import io.webstore.catalog.CatalogClient;
import io.webstore.inventory.InventoryClient;
import io.webstore.orders.OrdersClient;
import io.webstore.payment.PaymentClient;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkout: turns a customer's cart into an order exactly once per {@code Idempotency-Key}, with stock held and
 * committed, payment authorized, and a recovery that settles checkouts a crash left unfinished. Needs the cart,
 * catalog, inventory, payment and orders features.
 */
public final class CheckoutFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(CheckoutFeature.class);

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
    Settlement settlement = new Settlement(records, new OrdersClient(vertx, settings.callTimeout()),
        new InventoryClient(vertx), new PaymentClient(vertx, settings.callTimeout()),
        new CartClient(vertx, settings.callTimeout()));
    CheckoutFaults faults = CheckoutFaults.of(settings.faultStep());
    settings.faultStep().ifPresent(step -> log.warn("checkout.fault_injection_armed step={} "
        + "(checkout.faultStep: checkouts stop dead there; tests only)", step));
    Clock clock = Clock.systemUTC();
    return vertx.deployVerticle(() -> new CheckoutVerticle(() -> new CheckoutFlow(vertx, settings, records,
                settlement, new CartClient(vertx, settings.callTimeout()),
                new CatalogClient(vertx, settings.callTimeout()), new InventoryClient(vertx),
                new PaymentClient(vertx, settings.callTimeout()), new OrdersClient(vertx, settings.callTimeout()),
                faults, services.meters(), clock)),
            new DeploymentOptions().setInstances(settings.instances()))
        .compose(checkout -> vertx.deployVerticle(new CheckoutRecoveryVerticle(
                () -> new CheckoutRecovery(records, settlement, settings, services.meters(), clock), settings))
            .map(recovery -> List.of(checkout, recovery)));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    new CheckoutRoutes(new CheckoutClient(services.vertx(), services.config().http().requestTimeout()))
        .mount(builder);
  }
}
