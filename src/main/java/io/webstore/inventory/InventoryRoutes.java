package io.webstore.inventory;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** The admin inventory endpoints: HTTP in, {@link InventoryClient} requests, HTTP out. */
final class InventoryRoutes {

  private final InventoryClient inventory;

  InventoryRoutes(InventoryClient inventory) {
    this.inventory = inventory;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("getInventory").addHandler(this::get);
    builder.getRoute("setInventory").addHandler(this::set);
  }

  private void get(RoutingContext ctx) {
    inventory.get(ctx.pathParam("sku"))
        .compose(level -> ctx.json(InventoryJson.level(level)))
        .onFailure(ctx::fail);
  }

  private void set(RoutingContext ctx) {
    var body = ctx.body().asJsonObject(); // shape already checked against openapi.yaml
    String sku = ctx.pathParam("sku");
    Long sequence = body.getLong("sequence");
    (sequence == null ? inventory.set(sku, body.getInteger("on_hand"))
        : inventory.set(sku, body.getInteger("on_hand"), sequence))
        .compose(level -> ctx.json(InventoryJson.level(level)))
        .onFailure(ctx::fail);
  }
}
