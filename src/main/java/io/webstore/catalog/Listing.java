package io.webstore.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The listing snapshot's view: products in SKU order, by category, and the category summary. */
record Listing(List<ProductEntry> sorted, Map<String, List<ProductEntry>> byCategory, JsonObject categories) {

  static Listing of(Map<String, ProductEntry> all) {
    List<ProductEntry> sorted = new ArrayList<>(all.values());
    sorted.sort(Comparator.comparing(entry -> entry.product().sku()));
    Map<String, List<ProductEntry>> byCategory = new TreeMap<>();
    sorted.forEach(entry -> byCategory.computeIfAbsent(entry.product().category(), c -> new ArrayList<>())
        .add(entry));
    JsonArray categories = new JsonArray();
    byCategory.forEach((id, members) -> categories.add(new JsonObject()
        .put("id", id)
        .put("name", displayName(id))
        .put("product_count", members.size())));
    byCategory.replaceAll((id, members) -> List.copyOf(members));
    return new Listing(List.copyOf(sorted), Map.copyOf(byCategory), new JsonObject().put("items", categories));
  }

  private static String displayName(String id) {
    return Arrays.stream(id.split("-"))
        .filter(word -> !word.isEmpty())
        .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
        .collect(Collectors.joining(" "));
  }
}
