package io.webstore.cart;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Products, stock, tokens and requests with session headers for the cart's tests (all through the HTTP API). */
final class CartFixtures {

  static final String CART = "/api/v1/cart";
  static final String ITEMS = "/api/v1/cart/items";

  private CartFixtures() {}

  static String uniqueSku(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
  }

  static String adminToken(Api api) {
    return api.tokenFor("admin-" + UUID.randomUUID(), "admin@webstore.local", List.of("admin"));
  }

  static String customerToken(Api api, String customerId) {
    return api.tokenFor(customerId, "c-" + customerId + "@example.com", List.of());
  }

  /** Creates a product at {@code amount currency} with {@code onHand} units in stock; answers its SKU. */
  static String product(Api api, String prefix, String name, String amount, String currency, int onHand) {
    String sku = uniqueSku(prefix);
    String admin = adminToken(api);
    HttpResponse<Buffer> created = api.call(HttpMethod.PUT, "/api/v1/admin/products/" + sku, admin, productBody(name,
        amount, currency));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    stock(api, sku, onHand);
    return sku;
  }

  static Future<String> productAsync(Api api, String admin, String name, String amount, int onHand) {
    String sku = uniqueSku("conc");
    return api.send(HttpMethod.PUT, "/api/v1/admin/products/" + sku, admin, productBody(name, amount, "USD"))
        .compose(created -> {
          assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
          return api.send(HttpMethod.PUT, "/api/v1/admin/inventory/" + sku, admin,
              new JsonObject().put("on_hand", onHand));
        })
        .map(stocked -> {
          assertThat(stocked.statusCode()).as(stocked.bodyAsString()).isEqualTo(200);
          return sku;
        });
  }

  static JsonObject productBody(String name, String amount, String currency) {
    return new JsonObject()
        .put("name", name)
        .put("description", "A product for cart tests")
        .put("price", new JsonObject().put("amount", amount).put("currency", currency))
        .put("category", "cart-tests");
  }

  static void stock(Api api, String sku, int onHand) {
    HttpResponse<Buffer> stocked = api.call(HttpMethod.PUT, "/api/v1/admin/inventory/" + sku, adminToken(api),
        new JsonObject().put("on_hand", onHand));
    assertThat(stocked.statusCode()).as(stocked.bodyAsString()).isEqualTo(200);
  }

  /** A flash sale of {@code sku} running from a minute ago for an hour. */
  static String sale(Api api, String sku, String amount, int perCustomerLimit) {
    String id = "sale-" + UUID.randomUUID().toString().substring(0, 8);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<Buffer> created = api.call(HttpMethod.PUT, "/api/v1/admin/sales/" + id, adminToken(api),
        new JsonObject()
            .put("sku", sku)
            .put("price", new JsonObject().put("amount", amount).put("currency", "USD"))
            .put("starts_at", now.minus(1, ChronoUnit.MINUTES).toString())
            .put("ends_at", now.plus(1, ChronoUnit.HOURS).toString())
            .put("per_customer_limit", perCustomerLimit));
    assertThat(created.statusCode()).as(created.bodyAsString()).isIn(200, 201);
    return id;
  }

  static JsonObject add(String sku, int quantity) {
    return new JsonObject().put("sku", sku).put("quantity", quantity);
  }

  /** A request with the given extra headers (session id, cookie), and a bearer token when not null. */
  static HttpResponse<Buffer> call(Api api, HttpMethod method, String path, String token, MultiMap headers,
      JsonObject body) {
    return Engines.await(send(api, method, path, token, headers, body));
  }

  static Future<HttpResponse<Buffer>> send(Api api, HttpMethod method, String path, String token, MultiMap headers,
      JsonObject body) {
    HttpRequest<Buffer> request = api.request(method, path, token);
    request.putHeaders(headers);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  static MultiMap sessionHeader(String sid) {
    return MultiMap.caseInsensitiveMultiMap().add("X-Session-Id", sid);
  }

  static MultiMap cookie(String sid) {
    return MultiMap.caseInsensitiveMultiMap().add("Cookie", "sid=" + sid);
  }

  static MultiMap none() {
    return MultiMap.caseInsensitiveMultiMap();
  }

  /** The cart's DynamoDB calls so far (every operation of the carts and sessions tables). */
  static long dynamoCalls(Api api) {
    return api.store().services().meters().find("webstore.cart.dynamo.calls").timers().stream()
        .mapToLong(Timer::count).sum();
  }

  static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    return response.bodyAsJsonObject();
  }

  static JsonObject problem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/" + type);
    return problem;
  }

  static JsonObject line(JsonObject cart, String sku) {
    return cart.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(line -> sku.equals(line.getString("sku"))).findFirst()
        .orElseThrow(() -> new AssertionError("no line of " + sku + " in " + cart.encodePrettily()));
  }
}
