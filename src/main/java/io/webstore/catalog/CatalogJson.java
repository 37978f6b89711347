package io.webstore.catalog;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.money.AmountJson;
import java.time.Instant;

/** JSON shapes of the catalog: the public documents, the shared-cache form of a product, and sales. */
final class CatalogJson {

  private CatalogJson() {}

  /** The product's fields as the API shows them (without {@code available} and {@code sale}). */
  static JsonObject publicFields(Product product) {
    return new JsonObject()
        .put("sku", product.sku())
        .put("name", product.name())
        .put("description", product.description())
        .put("price", AmountJson.toJson(product.price()))
        .put("category", product.category())
        .put("attributes", new JsonObject(product.attributes()))
        .put("images", new JsonArray(product.images()));
  }

  /** The admin view of a stored product: the public fields and when it last changed. */
  static JsonObject adminView(Product product) {
    return publicFields(product).put("updated_at", product.updatedAt().toString());
  }

  /**
   * The public fields serialized once, without the closing brace: a read appends {@code available} and {@code sale}
   * and closes the object, so the hot path never serializes the product again.
   */
  static Buffer openDocument(Product product) {
    Buffer full = publicFields(product).toBuffer();
    return full.getBuffer(0, full.length() - 1);
  }

  /** The {@code sale} member of a product document, serialized once per sale. */
  static Buffer saleMember(Sale sale) {
    return new JsonObject()
        .put("id", sale.id())
        .put("price", AmountJson.toJson(sale.price()))
        .put("ends_at", sale.endsAt().toString())
        .put("per_customer_limit", sale.perCustomerLimit())
        .toBuffer();
  }

  /** A sale as the admin API shows it. */
  static JsonObject saleView(Sale sale, Instant now) {
    return new JsonObject()
        .put("id", sale.id())
        .put("sku", sale.sku())
        .put("price", AmountJson.toJson(sale.price()))
        .put("starts_at", sale.startsAt().toString())
        .put("ends_at", sale.endsAt().toString())
        .put("per_customer_limit", sale.perCustomerLimit())
        .put("active", sale.activeAt(now));
  }

  /** The form a product takes in the shared cache: everything, revision included. */
  static String storage(Product product) {
    return publicFields(product)
        .put("revision", product.revision())
        .put("updated_at", product.updatedAt().toString())
        .encode();
  }

  static Product fromStorage(String text) {
    JsonObject json = new JsonObject(text);
    return new Product(
        json.getString("sku"),
        json.getString("name"),
        json.getString("description"),
        AmountJson.fromJson(json.getJsonObject("price")),
        json.getString("category"),
        json.getJsonObject("attributes", new JsonObject()).getMap(),
        json.getJsonArray("images", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getString("revision"),
        Instant.parse(json.getString("updated_at")));
  }

  static JsonObject store(StoreLocation store) {
    return new JsonObject()
        .put("id", store.id())
        .put("name", store.name())
        .put("address", new JsonObject()
            .put("street", store.street())
            .put("city", store.city())
            .put("region", store.region())
            .put("postal_code", store.postalCode())
            .put("country", store.country()))
        .put("location", new JsonObject().put("lat", store.latitude()).put("lon", store.longitude()))
        .put("phone", store.phone());
  }
}
