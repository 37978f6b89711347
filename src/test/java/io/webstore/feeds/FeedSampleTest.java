package io.webstore.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.webstore.catalog.DemoSkus;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The load-file generator: entities that exist, sequences that rise per entity, every line keyed. */
class FeedSampleTest {

  @Test
  void inventoryDefaultsToTheDemoCatalogsSkusWithSequencesRisingPerSkuAndWarehouse() throws Exception {
    List<JsonObject> records = generate(new FeedSample.Spec("supply.inventory", 5_000, null, 1_000, 7));

    assertThat(records).hasSize(5_000);
    Set<String> demo = new HashSet<>(DemoSkus.all());
    assertThat(demo).hasSize(12 * 44 + 1).contains("SKU-ELE-001", "SKU-FLASH-1");
    Map<String, Long> last = new HashMap<>();
    for (JsonObject record : records) {
      assertThat(record.fieldNames()).containsExactlyInAnyOrder("sku", "warehouse", "on_hand", "sequence");
      assertThat(demo).contains(record.getString("sku"));
      assertThat(FeedSample.WAREHOUSES).contains(record.getString("warehouse"));
      assertThat(record.getInteger("on_hand")).isBetween(0, 500);
      String lane = record.getString("sku") + "/" + record.getString("warehouse");
      long sequence = record.getLong("sequence");
      assertThat(sequence).as(lane).isGreaterThan(last.getOrDefault(lane, 1_000L));
      last.put(lane, sequence);
    }
    assertThat(last.keySet().stream().map(lane -> lane.substring(lane.indexOf('/') + 1)).distinct())
        .containsExactlyInAnyOrderElementsOf(FeedSample.WAREHOUSES);
  }

  @Test
  void generatedSkusAreTheOnesTheProductsFileCreates() throws Exception {
    List<JsonObject> inventory = generate(new FeedSample.Spec("supply.inventory", 100, "25", 0, 1));
    List<JsonObject> products = generate(new FeedSample.Spec("pim.products", 25, null, 0, 1));

    Set<String> productSkus = new HashSet<>();
    products.forEach(product -> productSkus.add(product.getString("sku")));
    assertThat(productSkus).hasSize(25).containsExactlyInAnyOrderElementsOf(FeedSample.loadSkus(25));
    assertThat(inventory).extracting(record -> record.getString("sku")).allMatch(productSkus::contains);
    assertThat(products).allSatisfy(product -> {
      assertThat(product.fieldNames()).contains("name", "description", "price", "category", "sequence", "deleted");
      assertThat(product.getJsonObject("price").getString("amount")).matches("^\\d{1,7}(\\.\\d{1,2})?$");
      assertThat(product.getString("category")).matches("^[a-z0-9][a-z0-9-]{0,63}$");
    });
  }

  @Test
  void orderStatusRecordsMoveEachOrderForwardOneStepAtATime() throws Exception {
    List<JsonObject> records = generate(new FeedSample.Spec("supply.order-status", 8, "2", 0, 1));

    assertThat(records).filteredOn(record -> record.getString("order_id").equals("ord_load_000001"))
        .extracting(record -> record.getString("status"))
        .containsExactly("paid", "fulfilling", "shipped", "delivered");
    assertThat(records).filteredOn(record -> record.getString("status").equals("shipped"))
        .allSatisfy(record -> assertThat(record.getString("tracking")).isNotBlank());
  }

  @Test
  void aBadSpecIsRefusedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> FeedSample.Spec.of("supply.stock", 1, null))
        .hasMessageContaining("unknown topic supply.stock");
    assertThatThrownBy(() -> FeedSample.entities(FeedSample.Spec.of("supply.inventory", 1, "many")))
        .hasMessageContaining("SKUS must be demo or a number");
    assertThatThrownBy(() -> FeedSample.entities(FeedSample.Spec.of("supply.order-status", 1, "demo")))
        .hasMessageContaining("order-status records need SKUS=");
  }

  private static List<JsonObject> generate(FeedSample.Spec spec) throws Exception {
    StringWriter out = new StringWriter();
    long written = FeedSample.write(spec, out);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize((int) written);
    String key = FeedCommand.TOPIC_KEYS.get(spec.topic());
    assertThat(lines).allSatisfy(line -> assertThat(Feeder.key(line, key).key()).isNotBlank());
    return lines.stream().map(JsonObject::new).toList();
  }
}
