package io.webstore.inventory;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.util.List;
import java.util.function.UnaryOperator;

/** The inventory stock ledger: live holds in Redis, durable stock and hold records in DynamoDB, admin endpoints. */
public final class InventoryFeature implements Feature {

  static final String STOCK_TABLE = "inventory";
  static final String HOLDS_TABLE = "inventory_holds";

  private final UnaryOperator<StockRecords> decorate;

  public InventoryFeature() {
    this(UnaryOperator.identity());
  }

  /** An inventory whose stock records are {@code decorate} of the DynamoDB ones (tests wrap them). */
  InventoryFeature(UnaryOperator<StockRecords> decorate) {
    this.decorate = decorate;
  }

  @Override
  public String name() {
    return "inventory";
  }

  @Override
  public List<TableSpec> tables() {
    return List.of(
        TableSpec.of(STOCK_TABLE, TableSpec.Key.string("pk")),
        TableSpec.of(HOLDS_TABLE, TableSpec.Key.string("hold_id")));
  }

  @Override
  public Future<?> deploy(Services services) {
    InventorySettings config = InventorySettings.from(services.config().section("inventory"));
    return services.vertx().deployVerticle(new InventoryVerticle(services, config, decorate));
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    new InventoryRoutes(new InventoryClient(services.vertx())).mount(builder);
  }
}
