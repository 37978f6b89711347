package io.webstore.checkout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrderTotals;
import io.webstore.orders.OrdersClient;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.Problem;
import io.webstore.platform.money.AmountJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** JSON of the checkout: request hashes, stored plans, the answers it stores and replays. */
final class CheckoutJson {

  /** The path every checkout problem names as its {@code instance}. */
  static final String PATH = "/api/v1/checkout";

  private CheckoutJson() {}

  /**
   * SHA-256 of the body in canonical form (keys sorted at every level), so that the same request written with its
   * members in another order still counts as the same.
   */
  static String requestHash(JsonObject body) {
    return CheckoutIds.sha256(((JsonObject) canonical(body)).encode());
  }

  private static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> sorted = new TreeMap<>();
      object.forEach(entry -> sorted.put(entry.getKey(), canonical(entry.getValue())));
      return new JsonObject(new LinkedHashMap<>(sorted));
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(canonical(item)));
      return copy;
    }
    return value;
  }

  /** The 201 answer: the order document and its location. */
  static StoredResponse created(Order order) {
    return new StoredResponse(201, OrdersClient.document(order).encode(), Optional.of("/api/v1/orders/" + order.id()));
  }

  /** A problem document rendered by the one {@link Problem} renderer, to be stored and replayed as it is. */
  static StoredResponse problem(DomainException error) {
    Problem problem = Problem.of(error);
    return new StoredResponse(problem.status(), problem.toJson(PATH).encode(), Optional.empty());
  }

  static JsonObject response(StoredResponse response, boolean replayed) {
    JsonObject json = new JsonObject().put("status", response.status()).put("body", response.body())
        .put("replayed", replayed);
    response.location().ifPresent(location -> json.put("location", location));
    return json;
  }

  static StoredResponse response(JsonObject json) {
    return new StoredResponse(json.getInteger("status"), json.getString("body"),
        Optional.ofNullable(json.getString("location")));
  }

  static String plan(CheckoutPlan plan) {
    JsonArray lines = new JsonArray();
    for (OrderLine line : plan.lines()) {
      JsonObject json = new JsonObject().put("sku", line.sku()).put("name", line.name())
          .put("quantity", line.quantity()).put("unit_price", AmountJson.toJson(line.unitPrice()));
      line.saleId().ifPresent(sale -> json.put("sale_id", sale));
      lines.add(json);
    }
    return new JsonObject().put("lines", lines).put("claims", claims(plan.claims()))
        .put("cart_version", plan.cartVersion()).encode();
  }

  static CheckoutPlan plan(String text) {
    JsonObject json = new JsonObject(text);
    List<OrderLine> lines = new ArrayList<>();
    for (Object item : json.getJsonArray("lines")) {
      JsonObject line = (JsonObject) item;
      lines.add(OrderLine.of(line.getString("sku"), line.getString("name"), line.getInteger("quantity"),
          AmountJson.fromJson(line.getJsonObject("unit_price")), Optional.ofNullable(line.getString("sale_id"))));
    }
    return new CheckoutPlan(lines, OrderTotals.of(lines), claims(json.getJsonArray("claims")),
        json.getLong("cart_version", 0L));
  }

  /** {@code [{"sale_id", "quantity", "limit"}]}, as stored in the plan of every record. */
  private static JsonArray claims(List<SaleClaim> claims) {
    JsonArray json = new JsonArray();
    claims.forEach(claim -> json.add(new JsonObject().put("sale_id", claim.saleId())
        .put("quantity", claim.quantity()).put("limit", claim.limit())));
    return json;
  }

  private static List<SaleClaim> claims(JsonArray json) {
    List<SaleClaim> claims = new ArrayList<>();
    for (Object item : json) {
      JsonObject claim = (JsonObject) item;
      claims.add(new SaleClaim(claim.getString("sale_id"), claim.getInteger("quantity"), claim.getInteger("limit")));
    }
    return claims;
  }
}
