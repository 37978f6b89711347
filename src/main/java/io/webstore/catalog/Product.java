package io.webstore.catalog;

import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A product as the catalog keeps it (the store of record is the {@code products} table). Availability and sales are
 * not part of it: they change on their own schedule and are joined when a product is read.
 *
 * @param sku the key, as in the URL
 * @param attributes free-form facts (brand, colour, ...): strings, numbers or booleans
 * @param images absolute image URLs, first is the main image
 * @param revision changes on every write; part of the ETag
 */
record Product(String sku, String name, String description, Amount price, String category,
    Map<String, Object> attributes, List<String> images, String revision, Instant updatedAt) {

  public Product {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(revision, "revision");
    description = description == null ? "" : description;
    // insertion order kept: documents list attributes as the admin gave them
    attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    images = images == null ? List.of() : List.copyOf(images);
  }
}
