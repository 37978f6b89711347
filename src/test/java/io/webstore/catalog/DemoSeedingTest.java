package io.webstore.catalog;

import static io.webstore.catalog.CatalogFixtures.adminToken;
import static io.webstore.catalog.CatalogFixtures.getProduct;
import static io.webstore.catalog.CatalogFixtures.productBody;
import static io.webstore.catalog.CatalogFixtures.putProduct;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.inventory.InventoryClient;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Demo seeding on stores with tables of their own (a unique table prefix), started twice. */
class DemoSeedingTest {

  @Test
  void seedsOnceQuicklyAndARestartNeitherDuplicatesNorResets() {
    String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "-";
    JsonObject overrides = new JsonObject()
        .put("dynamo", new JsonObject().put("tablePrefix", prefix))
        .put("demo", new JsonObject().put("enabled", true));
    int expectedProducts = 12 * DemoCatalog.PER_CATEGORY + 1;

    Instant seededAround = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    WebStore first = Engines.shared().startStore(overrides);
    Instant startedBy = Instant.now();
    Map<String, AttributeValue> sale;
    try (Api api = new Api(first)) {
      MeterRegistry meters = first.services().meters();
      // how long seeding takes depends on the machine (the suite shares it): printed, not asserted
      Timer catalogPhase = meters.find("webstore.catalog.demo.seed").tag("phase", "catalog").timer();
      Timer stockPhase = meters.find("webstore.catalog.demo.seed").tag("phase", "stock").timer();
      assertThat(catalogPhase.count()).isEqualTo(1);
      assertThat(stockPhase.count()).isEqualTo(1);
      System.out.printf("catalog.demo.seed catalog_ms=%.0f stock_ms=%.0f products=%d%n",
          catalogPhase.totalTime(TimeUnit.MILLISECONDS), stockPhase.totalTime(TimeUnit.MILLISECONDS),
          expectedProducts);
      assertThat(meters.find("webstore.catalog.demo.products.created").counter().count())
          .isEqualTo(expectedProducts);

      JsonObject page = api.get("/api/v1/products?size=100", null).bodyAsJsonObject();
      assertThat(page.getInteger("total")).isEqualTo(expectedProducts).isGreaterThanOrEqualTo(500);
      JsonArray categories = api.get("/api/v1/categories", null).bodyAsJsonObject().getJsonArray("items");
      assertThat(categories.size()).isGreaterThanOrEqualTo(10);
      categories.forEach(c -> assertThat(((JsonObject) c).getInteger("product_count"))
          .isGreaterThanOrEqualTo(DemoCatalog.PER_CATEGORY));

      JsonObject flash = getProduct(api, DemoCatalog.FLASH_SKU).bodyAsJsonObject();
      assertThat(flash.getJsonArray("images").getString(0))
          .isEqualTo("https://images.webstore.local/products/SKU-FLASH-1/1.jpg");
      assertThat(flash.getJsonObject("attributes").getString("brand")).isNotBlank();
      assertThat(flash.getInteger("available")).isBetween(20, 200);
      assertThat(flash.getValue("sale")).as("the flash sale starts in an hour").isNull();

      JsonArray stores = api.get("/api/v1/stores", null).bodyAsJsonObject().getJsonArray("items");
      assertThat(stores).hasSize(20);
      JsonObject store = stores.getJsonObject(0);
      assertThat(store.getJsonObject("address").getString("city")).isNotBlank();
      assertThat(store.getJsonObject("location").getDouble("lat")).isBetween(-90.0, 90.0);

      List<Map<String, AttributeValue>> sales = scan(first, prefix + "sales");
      assertThat(sales).hasSize(1);
      sale = sales.get(0);
      assertThat(sale.get("id").s()).isEqualTo(DemoCatalog.FLASH_SALE_ID);
      assertThat(sale.get("sku").s()).isEqualTo(DemoCatalog.FLASH_SKU);
      assertThat(sale.get("per_customer_limit").n()).isEqualTo("2");
      Instant startsAt = Instant.ofEpochMilli(Long.parseLong(sale.get("starts_at").n()));
      Instant endsAt = Instant.ofEpochMilli(Long.parseLong(sale.get("ends_at").n()));
      // an hour after the seeding, which happened while the store started
      assertThat(startsAt).isBetween(seededAround.plus(Duration.ofHours(1)), startedBy.plus(Duration.ofHours(1)));
      assertThat(Duration.between(startsAt, endsAt)).isEqualTo(Duration.ofHours(1));

      // an admin's edit and a stock change that a restart must keep
      assertThat(putProduct(api, adminToken(api), "SKU-ELE-001", productBody("Renamed by admin", "1.00",
          "electronics")).statusCode()).isEqualTo(200);
      Engines.await(new InventoryClient(first.vertx(), Duration.ofSeconds(5)).set("SKU-ELE-002", 7));
    } finally {
      Engines.await(first.stop());
    }

    WebStore second = Engines.shared().startStore(overrides);
    try (Api api = new Api(second)) {
      assertThat(second.services().meters().find("webstore.catalog.demo.products.created").counter().count())
          .isZero();
      assertThat(scan(second, prefix + "products")).hasSize(expectedProducts);
      assertThat(api.get("/api/v1/products", null).bodyAsJsonObject().getInteger("total")).isEqualTo(expectedProducts);
      assertThat(getProduct(api, "SKU-ELE-001").bodyAsJsonObject().getString("name")).isEqualTo("Renamed by admin");
      assertThat(getProduct(api, "SKU-ELE-002").bodyAsJsonObject().getInteger("available")).isEqualTo(7);
      assertThat(scan(second, prefix + "sales")).containsExactly(sale);
      assertThat(scan(second, prefix + "stores")).hasSize(20);
    } finally {
      Engines.await(second.stop());
    }
  }

  private static List<Map<String, AttributeValue>> scan(WebStore store, String table) {
    return Engines.await(Future.fromCompletionStage(
        store.services().aws().dynamo().scan(ScanRequest.builder().tableName(table).build()))).items();
  }
}
