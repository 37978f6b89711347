package io.webstore.orders;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.money.AmountJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSON shapes of orders: {@link #view} is what the API shows a customer or admin; {@link #internal} adds what the
 * features need among themselves (customer, checkout, hold, payment key, sale claims) and travels on the event bus.
 */
final class OrderJson {

  private OrderJson() {}

  /** The API document of an order. Deterministic: the same order always gives the same text. */
  public static JsonObject view(Order order) {
    JsonArray lines = new JsonArray();
    for (OrderLine line : order.lines()) {
      JsonObject json = new JsonObject()
          .put("sku", line.sku())
          .put("name", line.name())
          .put("quantity", line.quantity())
          .put("unit_price", AmountJson.toJson(line.unitPrice()))
          .put("line_total", AmountJson.toJson(line.lineTotal()));
      line.saleId().ifPresent(sale -> json.put("sale_id", sale));
      lines.add(json);
    }
    return new JsonObject()
        .put("id", order.id())
        .put("status", order.status().wire())
        .put("lines", lines)
        .put("totals", new JsonObject()
            .put("items", order.totals().items())
            .put("subtotal", AmountJson.toJson(order.totals().subtotal()))
            .put("total", AmountJson.toJson(order.totals().total())))
        .put("shipping_address", address(order.shippingAddress()))
        .put("created_at", Timestamps.format(order.createdAt()))
        .put("updated_at", Timestamps.format(order.updatedAt()));
  }

  public static JsonObject internal(Order order) {
    JsonArray claims = new JsonArray();
    order.saleClaims().forEach(claim -> claims.add(claim(claim)));
    return view(order)
        .put("customer_id", order.customerId())
        .put("checkout_id", order.checkoutId())
        .put("hold_id", order.holdId())
        .put("payment_key", order.paymentKey())
        .put("sale_claims", claims)
        .put("checkout_pending", order.checkoutPending())
        .put("version", order.version());
  }

  public static Order order(JsonObject json) {
    List<OrderLine> lines = new ArrayList<>();
    for (Object item : json.getJsonArray("lines")) {
      JsonObject line = (JsonObject) item;
      lines.add(new OrderLine(line.getString("sku"), line.getString("name"), line.getInteger("quantity"),
          AmountJson.fromJson(line.getJsonObject("unit_price")),
          AmountJson.fromJson(line.getJsonObject("line_total")),
          Optional.ofNullable(line.getString("sale_id"))));
    }
    JsonObject totals = json.getJsonObject("totals");
    return new Order(json.getString("id"), json.getString("customer_id"),
        OrderStatus.fromWire(json.getString("status")), lines,
        new OrderTotals(totals.getInteger("items"), AmountJson.fromJson(totals.getJsonObject("subtotal")),
            AmountJson.fromJson(totals.getJsonObject("total"))),
        address(json.getJsonObject("shipping_address")), json.getString("checkout_id"), json.getString("hold_id"),
        json.getString("payment_key"), claims(json.getJsonArray("sale_claims", new JsonArray())),
        Instant.parse(json.getString("created_at")), Instant.parse(json.getString("updated_at")),
        json.getBoolean("checkout_pending", false), json.getLong("version", 1L));
  }

  public static JsonObject address(ShippingAddress address) {
    JsonObject json = new JsonObject()
        .put("name", address.name())
        .put("line1", address.line1());
    address.line2().ifPresent(line2 -> json.put("line2", line2));
    json.put("city", address.city());
    address.region().ifPresent(region -> json.put("region", region));
    return json.put("postal_code", address.postalCode()).put("country", address.country());
  }

  /** Reads an address; a broken rule is a {@code Validation} naming the field. */
  public static ShippingAddress address(JsonObject json) {
    return new ShippingAddress(text(json, "name"), text(json, "line1"), Optional.ofNullable(text(json, "line2")),
        text(json, "city"), Optional.ofNullable(text(json, "region")), text(json, "postal_code"),
        text(json, "country"));
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value instanceof String text ? text : null;
  }

  public static JsonObject claim(SaleClaim claim) {
    return new JsonObject().put("sale_id", claim.saleId()).put("quantity", claim.quantity())
        .put("limit", claim.limit());
  }

  public static List<SaleClaim> claims(JsonArray json) {
    List<SaleClaim> claims = new ArrayList<>();
    for (Object item : json) {
      JsonObject claim = (JsonObject) item;
      claims.add(new SaleClaim(claim.getString("sale_id"), claim.getInteger("quantity"), claim.getInteger("limit")));
    }
    return claims;
  }

  public static JsonArray claimsJson(List<SaleClaim> claims) {
    JsonArray json = new JsonArray();
    claims.forEach(claim -> json.add(claim(claim)));
    return json;
  }

  /** The API document of a page: {@code {"items": [...], "next_cursor"?}}. */
  public static JsonObject pageView(OrderPage page) {
    JsonArray items = new JsonArray();
    page.orders().forEach(order -> items.add(view(order)));
    JsonObject json = new JsonObject().put("items", items);
    page.nextCursor().ifPresent(cursor -> json.put("next_cursor", cursor));
    return json;
  }

  static JsonObject pageInternal(OrderPage page) {
    JsonArray items = new JsonArray();
    page.orders().forEach(order -> items.add(internal(order)));
    JsonObject json = new JsonObject().put("items", items);
    page.nextCursor().ifPresent(cursor -> json.put("next_cursor", cursor));
    return json;
  }

  static OrderPage page(JsonObject json) {
    List<Order> orders = new ArrayList<>();
    json.getJsonArray("items").forEach(item -> orders.add(order((JsonObject) item)));
    return new OrderPage(orders, Optional.ofNullable(json.getString("next_cursor")));
  }
}
