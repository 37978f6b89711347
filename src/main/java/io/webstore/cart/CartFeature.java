package io.webstore.cart;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.time.Clock;
import java.util.List;

/**
 * Carts for customers and guests, priced by the catalog: the {@code carts} and {@code sessions} tables, {@link
 * CartVerticle} (needs the catalog and inventory addresses at run time) and the cart operations of openapi.yaml.
 */
public final class CartFeature implements Feature {

  @Override
  public String name() {
    return "cart";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(DynamoCartStore.TABLE, DynamoSessionStore.TABLE);
  }

  @Override
  public Future<?> deploy(Services services) {
    return services.vertx().deployVerticle(
        new CartVerticle(services, CartSettings.from(services.config()), Clock.systemUTC()));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    CartSettings settings = CartSettings.from(services.config());
    new CartRoutes(new CartClient(services.vertx(), settings.callTimeout().multipliedBy(3)),
        new OptionalBearer(services.authKeys().tokens()), settings, Clock.systemUTC())
        .mount(builder);
  }
}
