package io.webstore.cart;

import io.webstore.platform.money.AmountJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The JSON of carts and sessions, on the event bus and in HTTP responses. */
final class CartJson {

  private CartJson() {}

  /**
   * {@code {"owner", "id", "lines": [{"sku", "name", "quantity", "unit_price": {"amount", "currency"}, "line_total":
   * {...}, "sale_id"?}], "totals": {"items", "subtotal": {...}}, "version"}}.
   */
  static JsonObject toJson(PricedCart cart) {
    JsonArray lines = new JsonArray();
    for (PricedCart.Line line : cart.lines()) {
      JsonObject json = new JsonObject()
          .put("sku", line.sku())
          .put("name", line.name())
          .put("quantity", line.quantity())
          .put("unit_price", AmountJson.toJson(line.unitPrice()))
          .put("line_total", AmountJson.toJson(line.lineTotal()));
      line.saleId().ifPresent(id -> json.put("sale_id", id));
      lines.add(json);
    }
    JsonObject json = new JsonObject()
        .put("owner", cart.owner())
        .put("id", cart.id())
        .put("lines", lines)
        .put("totals", new JsonObject()
            .put("items", cart.items())
            .put("subtotal", AmountJson.toJson(cart.subtotal())))
        .put("version", cart.version());
    cart.checkout().ifPresent(claim -> json.put("checkout", new JsonObject().put("record_id", claim.recordId())
        .put("order_id", claim.orderId()).put("version", claim.version())));
    return json;
  }

  /**
   * The cart for its customer, from a cart as the cart verticle answers it ({@link #toJson}), serialized: without the
   * owner, which for a guest holds the session secret, and without the checkout claim (its record id holds the
   * Idempotency-Key). Changes {@code json}.
   */
  static Buffer responseBody(JsonObject json) {
    json.remove("owner");
    json.remove("checkout");
    return json.toBuffer();
  }

  static PricedCart fromJson(JsonObject json) {
    List<PricedCart.Line> lines = json.getJsonArray("lines", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .map(line -> new PricedCart.Line(line.getString("sku"), line.getString("name"), line.getInteger("quantity"),
            AmountJson.fromJson(line.getJsonObject("unit_price")),
            AmountJson.fromJson(line.getJsonObject("line_total")),
            Optional.ofNullable(line.getString("sale_id"))))
        .toList();
    JsonObject totals = json.getJsonObject("totals");
    Optional<CartClaim> checkout = Optional.ofNullable(json.getJsonObject("checkout"))
        .map(claim -> new CartClaim(claim.getString("record_id"), claim.getString("order_id"),
            claim.getLong("version")));
    return new PricedCart(json.getString("owner"), json.getString("id"), lines, totals.getInteger("items"),
        AmountJson.fromJson(totals.getJsonObject("subtotal")), json.getLong("version"), checkout);
  }

  /** {@code {"owner", "version", "lines": [{"sku", "quantity"}], "checkout"?}}: the cart unpriced. */
  static JsonObject contents(CartContents cart) {
    JsonArray lines = new JsonArray();
    cart.lines().forEach(line -> lines.add(new JsonObject().put("sku", line.sku()).put("quantity", line.quantity())));
    JsonObject json = new JsonObject().put("owner", cart.owner()).put("version", cart.version()).put("lines", lines);
    cart.checkout().ifPresent(claim -> json.put("checkout", new JsonObject().put("record_id", claim.recordId())
        .put("order_id", claim.orderId()).put("version", claim.version())));
    return json;
  }

  static CartContents contents(JsonObject json) {
    List<CartLine> lines = json.getJsonArray("lines", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .map(line -> new CartLine(line.getString("sku"), line.getInteger("quantity")))
        .toList();
    Optional<CartClaim> checkout = Optional.ofNullable(json.getJsonObject("checkout"))
        .map(claim -> new CartClaim(claim.getString("record_id"), claim.getString("order_id"),
            claim.getLong("version")));
    return new CartContents(json.getString("owner"), json.getLong("version"), lines, checkout);
  }

  /** {@code {"sid", "expires_at", "created"}}. */
  static JsonObject session(Session session, boolean created) {
    return new JsonObject().put("sid", session.sid()).put("expires_at", session.expiresAt().toString())
        .put("created", created);
  }

  static GuestSession guestSession(JsonObject json) {
    return new GuestSession(json.getString("sid"), Instant.parse(json.getString("expires_at")),
        json.getBoolean("created"));
  }
}
