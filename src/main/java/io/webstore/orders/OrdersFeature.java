package io.webstore.orders;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.payment.PaymentClient;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.time.Clock;
import java.util.List;

/** Orders: the order store and its status machine, customers' and admins' order endpoints, sale allowances. */
public final class OrdersFeature implements Feature {

  @Override
  public String name() {
    return "orders";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(DynamoOrderStore.TABLE, DynamoSaleLimits.TABLE);
  }

  @Override
  public Future<?> deploy(Services services) {
    var config = services.config();
    OrderStore store = new DynamoOrderStore(services.vertx(), services.aws().dynamo(),
        config.dynamo().table(DynamoOrderStore.TABLE.name()), services.meters());
    SaleLimits limits = new DynamoSaleLimits(services.vertx(), services.aws().dynamo(),
        config.dynamo().table(DynamoSaleLimits.TABLE.name()), services.meters());
    return services.vertx().deployVerticle(
        new OrdersVerticle(store, limits, OrdersSettings.from(config), Clock.systemUTC()));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    var timeout = services.config().http().requestTimeout();
    new OrdersRoutes(new OrdersClient(services.vertx(), timeout), new PaymentClient(services.vertx(), timeout))
        .mount(builder);
  }
}
