package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.text.Sku;
import io.webstore.testing.Engines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One SKU rule: the contract, the catalog, the cart and the inventory refuse and accept the same SKUs. */
class SkuPatternTest {

  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(30_000);

  @Test
  void everySkuPatternInTheContractIsTheJavaConstant() throws IOException {
    String yaml;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> patterns = new ArrayList<>();
    // path parameters: "- name: sku" then, within a few lines, its schema's pattern
    Matcher parameter = Pattern.compile("- name: sku\\s*\\n(?:[^\\n]*\\n){0,3}?[^\\n]*pattern: \"([^\"]+)\"")
        .matcher(yaml);
    while (parameter.find()) {
      patterns.add(parameter.group(1));
    }
    // body properties: "sku: {type: string, pattern: ...}"
    Matcher property = Pattern.compile("\\bsku: \\{[^}]*pattern: \"([^\"]+)\"").matcher(yaml);
    while (property.find()) {
      patterns.add(property.group(1));
    }
    assertThat(patterns).hasSizeGreaterThanOrEqualTo(9);
    assertThat(patterns).allSatisfy(pattern -> assertThat(pattern.replace("\\\\", "\\")).isEqualTo(Sku.PATTERN));
  }

  @Test
  void theDemoCatalogSatisfiesIt() {
    assertThat(DemoCatalog.products(Instant.now())).allSatisfy(item ->
        assertThat(Sku.valid(item.product().sku())).as(item.product().sku()).isTrue());
  }

  @Test
  void catalogCartAndInventoryRefuseTheSameSkus() {
    WebStore store = Engines.shared().app();
    for (String bad : List.of("SKU:1", "S".repeat(65), "-SKU", "SKU 1", "SKU#1")) {
      List<JsonObject[]> requests = List.of(
          new JsonObject[] {new JsonObject().put("address", "catalog.get"), new JsonObject().put("sku", bad)},
          new JsonObject[] {new JsonObject().put("address", "cart.add"), new JsonObject()
              .put("owner", "customer:" + UUID.randomUUID()).put("sku", bad).put("quantity", 1)},
          new JsonObject[] {new JsonObject().put("address", "inventory.set"), new JsonObject().put("sku", bad)
              .put("on_hand", 1)},
          new JsonObject[] {new JsonObject().put("address", "inventory.availability"), new JsonObject()
              .put("skus", new JsonArray().add(bad))});
      for (JsonObject[] request : requests) {
        String address = request[0].getString("address");
        assertThatThrownBy(() -> Engines.await(store.vertx().eventBus()
                .<JsonObject>request(address, request[1], OPTIONS).map(Message::body).recover(Replies::recover)))
            .as(address + " with sku " + bad).isInstanceOf(Validation.class);
      }
    }
  }
}
