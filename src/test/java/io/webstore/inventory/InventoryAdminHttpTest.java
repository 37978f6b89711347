package io.webstore.inventory;

import static io.webstore.inventory.InventoryBus.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin inventory endpoints over real HTTP. */
@WebstoreTest
class InventoryAdminHttpTest {

  @Shared static Api api;
  static InventoryBus bus;
  static String admin;
  static String customer;

  @BeforeAll
  static void start() {
    bus = new InventoryBus(api.store().vertx());
    admin = api.tokenFor("admin-" + UUID.randomUUID(), "admin@webstore.local", List.of("admin"));
    customer = api.tokenFor("cust-" + UUID.randomUUID(), "someone@example.com", List.of());
  }

  private static String path(String sku) {
    return "/api/v1/admin/inventory/" + sku;
  }

  @Test
  void adminSetsAndReadsStockWithHeldAndAvailable() {
    String sku = InventoryBus.sku("ADM");
    HttpResponse<Buffer> put = api.call(HttpMethod.PUT, path(sku), admin, new JsonObject().put("on_hand", 7));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(put.bodyAsJsonObject()).isEqualTo(new JsonObject().put("sku", sku)
        .put("warehouses", new JsonObject().put("WH-DEFAULT", 7)).put("on_hand", 7).put("held", 0).put("available", 7));
    assertThat(bus.available(sku)).isEqualTo(7);

    Engines.await(bus.hold(InventoryBus.holdId(), line(sku, 2)));
    HttpResponse<Buffer> get = api.get(path(sku), admin);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.bodyAsJsonObject().getInteger("on_hand")).isEqualTo(7);
    assertThat(get.bodyAsJsonObject().getInteger("held")).isEqualTo(2);
    assertThat(get.bodyAsJsonObject().getInteger("available")).isEqualTo(5);

    // lowering below what is held: sellable stock is what the admin says, nothing more can be held
    HttpResponse<Buffer> lowered = api.call(HttpMethod.PUT, path(sku), admin, new JsonObject().put("on_hand", 1));
    assertThat(lowered.statusCode()).isEqualTo(200);
    assertThat(lowered.bodyAsJsonObject().getInteger("on_hand")).isEqualTo(1);
    assertThat(lowered.bodyAsJsonObject().getInteger("held")).isEqualTo(2);
    assertThat(lowered.bodyAsJsonObject().getInteger("available")).as("never negative").isZero();
    assertThat(bus.available(sku)).isZero();
  }

  @Test
  void customersAndAnonymousCallersAreRefusedAndNothingChanges() {
    String sku = InventoryBus.sku("ADM");
    api.call(HttpMethod.PUT, path(sku), admin, new JsonObject().put("on_hand", 4));

    HttpResponse<Buffer> put = api.call(HttpMethod.PUT, path(sku), customer, new JsonObject().put("on_hand", 99));
    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(put.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(api.get(path(sku), customer).statusCode()).isEqualTo(403);
    assertThat(api.call(HttpMethod.PUT, path(sku), null, new JsonObject().put("on_hand", 99)).statusCode())
        .isEqualTo(401);
    assertThat(api.get(path(sku), admin).bodyAsJsonObject().getInteger("on_hand")).isEqualTo(4);
    assertThat(bus.available(sku)).isEqualTo(4);
  }

  @Test
  void badBodiesAre422AndChangeNothing() {
    String sku = InventoryBus.sku("ADM");
    api.call(HttpMethod.PUT, path(sku), admin, new JsonObject().put("on_hand", 3));
    for (JsonObject bad : List.of(
        new JsonObject().put("on_hand", -1),
        new JsonObject().put("on_hand", "five"),
        new JsonObject().put("on_hand", 1.5),
        new JsonObject().put("on_hand", 2_000_000_000),
        new JsonObject(),
        new JsonObject().put("on_hand", 5).put("warehouse", "WH-2"))) {
      HttpResponse<Buffer> response = api.call(HttpMethod.PUT, path(sku), admin, bad);
      assertThat(response.statusCode()).as(bad.encode() + " -> " + response.bodyAsString()).isEqualTo(422);
      assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/validation");
    }
    HttpResponse<Buffer> badSku = api.call(HttpMethod.PUT, path("bad%20sku"), admin,
        new JsonObject().put("on_hand", 1));
    assertThat(badSku.statusCode()).isBetween(400, 422);
    HttpResponse<Buffer> get = api.get(path(sku), admin);
    assertThat(get.bodyAsJsonObject().getInteger("on_hand")).isEqualTo(3);
    assertThat(get.bodyAsJsonObject().getJsonObject("warehouses").getMap()).isEqualTo(Map.of("WH-DEFAULT", 3));
    assertThat(bus.available(sku)).isEqualTo(3);
  }

  @Test
  void unknownSkuIs404() {
    HttpResponse<Buffer> response = api.get(path(InventoryBus.sku("NONE")), admin);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/not-found");
  }
}
