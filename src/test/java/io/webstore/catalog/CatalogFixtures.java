package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** Product bodies, tokens and polling shared by the catalog's tests. */
final class CatalogFixtures {

  private CatalogFixtures() {}

  static String uniqueSku(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
  }

  static String adminToken(Api api) {
    return api.tokenFor("admin-" + UUID.randomUUID(), "admin@webstore.local", List.of("admin"));
  }

  static String customerToken(Api api) {
    String id = UUID.randomUUID().toString();
    return api.tokenFor(id, "c-" + id + "@example.com", List.of());
  }

  static JsonObject productBody(String name, String amount, String category) {
    return new JsonObject()
        .put("name", name)
        .put("description", "A test product called " + name)
        .put("price", new JsonObject().put("amount", amount).put("currency", "USD"))
        .put("category", category)
        .put("attributes", new JsonObject().put("brand", "Acme").put("weight_g", 250).put("organic", true))
        .put("images", new JsonArray().add("https://images.webstore.local/products/x/1.jpg"));
  }

  static HttpResponse<Buffer> putProduct(Api api, String token, String sku, JsonObject body) {
    return api.call(HttpMethod.PUT, "/api/v1/admin/products/" + sku, token, body);
  }

  static HttpResponse<Buffer> created(Api api, String token, String sku, JsonObject body) {
    HttpResponse<Buffer> response = putProduct(api, token, sku, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response;
  }

  static HttpResponse<Buffer> getProduct(Api api, String sku) {
    return api.get("/api/v1/products/" + sku, null);
  }

  /** Polls {@code probe} until it returns a non-null value; fails after {@code timeout}. */
  static <T> T eventually(String what, Duration timeout, Supplier<T> probe) {
    return io.webstore.testing.Deadline.until(what, timeout, probe);
  }

  static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }
}
