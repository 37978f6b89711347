package io.webstore.flags;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.util.List;

/**
 * Feature flags: the {@code flags} table, {@link FlagsVerticle} (needs the runtime settings feature deployed first)
 * and the flag operations of openapi.yaml.
 */
public final class FlagsFeature implements Feature {

  @Override
  public String name() {
    return "flags";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(DynamoFlagStore.TABLE);
  }

  @Override
  public Future<?> deploy(Services services) {
    FlagStore store = new DynamoFlagStore(services.vertx(), services.aws().dynamo(),
        services.config().dynamo().table(DynamoFlagStore.TABLE.name()), services.meters());
    return services.vertx().deployVerticle(new FlagsVerticle(store));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    new FlagsRoutes(new FlagsClient(services.vertx())).mount(builder);
  }
}
