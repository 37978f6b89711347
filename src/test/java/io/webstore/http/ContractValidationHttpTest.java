package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.webstore.testing.Api;
import io.webstore.testing.ContractCheck;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store validates requests with validators built once at start-up ({@link ContractValidation}) instead of the
 * router's own, which builds them per request: it must still refuse exactly what the router's own validation refuses,
 * with the same problem, and keep every parameter's own schema however many requests it has seen.
 */
@WebstoreTest
class ContractValidationHttpTest {

  private static final List<String> PROBED = List.of("listProducts", "getProduct", "getCart", "addCartItem",
      "updateCartItem", "signUp");

  @Shared static Api api;
  static HttpServer reference;
  static WebClient plain;

  /**
   * A router built from the same contract with vertx-openapi's own request validation, answering 204 to whatever
   * it lets through and rendering failures with the store's problem handler: what the store answered before.
   */
  @BeforeAll
  static void startReference(Vertx vertx) {
    OpenAPIContract contract = Engines.await(OpenAPIContract.from(vertx, HttpVerticle.CONTRACT));
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler())
        .rootHandler(BodyHandler.create(false).setBodyLimit(65536));
    for (String operationId : PROBED) {
      OpenAPIRoute route = builder.getRoute(operationId);
      route.setDoSecurity(false);
      route.addHandler(ctx -> ctx.response().setStatusCode(204).end());
    }
    Router router = builder.createRouter();
    router.route().failureHandler(new ProblemHandler());
    reference = Engines.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    plain = ContractCheck.unchecked(vertx);
  }

  @AfterAll
  static void stopReference() {
    Engines.await(reference.close());
  }

  private record Probe(HttpMethod method, String path, Map<String, String> headers, String body) {
    static Probe get(String path) {
      return new Probe(HttpMethod.GET, path, Map.of(), null);
    }

    static Probe post(String path, String contentType, String body) {
      return new Probe(HttpMethod.POST, path, contentType == null ? Map.of() : Map.of("Content-Type", contentType),
          body);
    }

    HttpResponse<Buffer> sendTo(HttpRequest<Buffer> request) {
      MultiMap headers = request.headers();
      this.headers.forEach(headers::set);
      return Engines.await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }
  }

  private static final List<Probe> REFUSED = List.of(
      Probe.get("/api/v1/products?page=two"),
      Probe.get("/api/v1/products?page=0"),
      Probe.get("/api/v1/products?size=101"),
      Probe.get("/api/v1/products?size=0"),
      Probe.get("/api/v1/products?category=Not_A_Slug"),
      Probe.get("/api/v1/products?q=" + "q".repeat(101)),
      Probe.get("/api/v1/products/-starts-with-a-dash"),
      Probe.get("/api/v1/products/" + "S".repeat(65)),
      Probe.get("/api/v1/products/SKU-%C3%A9"),
      Probe.get("/api/v1/products/SKU%20AUT"),
      new Probe(HttpMethod.GET, "/api/v1/cart", Map.of("X-Session-Id", "s".repeat(129)), null),
      Probe.post("/api/v1/cart/items", "application/json", "{\"sku\": 5, \"quantity\": \"two\"}"),
      Probe.post("/api/v1/cart/items", "application/json", "{\"sku\": \"SKU-1\", \"quantity\": 1, \"price\": 1}"),
      Probe.post("/api/v1/cart/items", "application/json", "{\"sku\": "),
      Probe.post("/api/v1/cart/items", "application/json", null),
      Probe.post("/api/v1/cart/items", "text/plain", "sku=SKU-AUT-001&quantity=1"),
      Probe.post("/api/v1/auth/signup", "application/json", "{\"email\": 1}"));

  @Test
  void refusesWhatTheRoutersOwnValidationRefusesWithTheSameProblem() {
    for (Probe probe : REFUSED) {
      HttpResponse<Buffer> expected = probe.sendTo(plain.request(probe.method(), reference.actualPort(),
          "127.0.0.1", probe.path()));
      HttpResponse<Buffer> actual = probe.sendTo(api.request(probe.method(), probe.path(), null));
      String what = probe.method() + " " + probe.path() + " " + probe.headers() + " " + probe.body();
      assertThat(expected.statusCode()).as("the reference refuses " + what).isBetween(400, 499);
      assertThat(actual.statusCode()).as(what).isEqualTo(expected.statusCode());
      assertThat(actual.getHeader("Content-Type")).as(what).isEqualTo(ProblemHandler.PROBLEM_JSON);
      assertThat(actual.bodyAsJsonObject()).as(what).isEqualTo(expected.bodyAsJsonObject());
    }
  }

  @Test
  void letsThroughWhatTheRoutersOwnValidationLetsThrough() {
    List<Probe> accepted = List.of(
        Probe.get("/api/v1/products?page=101&size=100"),
        Probe.get("/api/v1/products?category=home-goods&q=lamp"),
        Probe.get("/api/v1/products/No.Such_sku-1"),
        Probe.get("/api/v1/products/" + "S".repeat(64)),
        new Probe(HttpMethod.GET, "/api/v1/cart", Map.of("X-Session-Id", "s".repeat(128)), null));
    for (Probe probe : accepted) {
      HttpResponse<Buffer> expected = probe.sendTo(plain.request(probe.method(), reference.actualPort(),
          "127.0.0.1", probe.path()));
      HttpResponse<Buffer> actual = probe.sendTo(api.request(probe.method(), probe.path(), null));
      String what = probe.method() + " " + probe.path();
      assertThat(expected.statusCode()).as("the reference lets through " + what).isEqualTo(204);
      assertThat(actual.statusCode()).as(what + ": " + actual.bodyAsString()).isIn(200, 404);
    }
  }

  /**
   * Two parameters of one operation with different bounds ({@code page} up to 100000, {@code size} up to 100), and a
   * body schema beside a header schema: after hundreds of requests each is still checked against its own schema.
   */
  @Test
  void everyParameterKeepsItsOwnSchemaAcrossManyRequests() {
    for (int i = 0; i < 150; i++) {
      assertThat(api.get("/api/v1/products?page=" + (101 + i) + "&size=1", null).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> tooLarge = api.get("/api/v1/products?page=1&size=" + (101 + i), null);
      assertThat(tooLarge.statusCode()).isEqualTo(400);
      assertThat(tooLarge.bodyAsJsonObject().getString("detail")).contains("query parameter size");
      HttpResponse<Buffer> badBody = Engines.await(api.request(HttpMethod.POST, "/api/v1/cart/items", null)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"sku\": " + i + "}")));
      assertThat(badBody.statusCode()).isEqualTo(422);
      assertThat(badBody.bodyAsJsonObject().getJsonArray("errors")).isNotEmpty();
    }
  }

  /**
   * Bodies at the edges of a plain object schema ({@code CartItemAdd}, {@code CartItemQuantity}), which the store
   * checks itself before asking vertx-json-schema: whatever the reference refuses, the store refuses with the same
   * problem; whatever it lets through, the store lets through (to the cart, which answers for an unknown SKU or a
   * missing line, or refuses a SKU by its own rule).
   */
  @Test
  void bodiesAtTheEdgesOfAPlainObjectSchemaGetTheLibrarysAnswer() {
    String sku = "\"sku\": \"NO-SUCH-SKU\"";
    String quantityOne = "\"quantity\": 1";
    List<String> adds = List.of(
        "{" + sku + ", " + quantityOne + "}",
        "{" + quantityOne + ", " + sku + "}",
        "{" + sku + ", \"quantity\": 1000}",
        "{" + sku + ", \"quantity\": 1001}",
        "{" + sku + ", \"quantity\": 0}",
        "{" + sku + ", \"quantity\": -1}",
        "{" + sku + ", \"quantity\": 1.0}",
        "{" + sku + ", \"quantity\": 1.5}",
        "{" + sku + ", \"quantity\": 1e0}",
        "{" + sku + ", \"quantity\": 1E2}",
        "{" + sku + ", \"quantity\": 4294967297}",
        "{" + sku + ", \"quantity\": 99999999999999999999999}",
        "{" + sku + ", \"quantity\": \"1\"}",
        "{" + sku + ", \"quantity\": null}",
        "{" + sku + ", \"quantity\": true}",
        "{" + sku + ", \"quantity\": [1]}",
        "{" + sku + ", \"quantity\": {\"n\": 1}}",
        "{" + sku + "}",
        "{" + quantityOne + "}",
        "{}",
        "{" + sku + ", " + quantityOne + ", \"extra\": null}",
        "{" + sku + ", " + quantityOne + ", \"__proto__\": {}}",
        "{" + sku + ", " + quantityOne + ", " + quantityOne + "}",
        "{" + sku + ", \"quantity\": 1001, " + quantityOne + "}",
        "{" + sku + ", " + quantityOne + ", \"quantity\": 0}",
        "{\"sku\": \"\", " + quantityOne + "}",
        "{\"sku\": \"S\", " + quantityOne + "}",
        "{\"sku\": \"" + "S".repeat(64) + "\", " + quantityOne + "}",
        "{\"sku\": \"" + "S".repeat(65) + "\", " + quantityOne + "}",
        "{\"sku\": \"-SKU\", " + quantityOne + "}",
        "{\"sku\": \"SKU 1\", " + quantityOne + "}",
        "{\"sku\": \"SKU-\u00e9\", " + quantityOne + "}",
        "{\"sku\": \"SKU-\\u0001\", " + quantityOne + "}",
        "{\"sku\": \"SKU-1\\n\", " + quantityOne + "}",
        "{\"sku\": null, " + quantityOne + "}",
        "{\"sku\": 5, " + quantityOne + "}",
        "{\"sku\": [\"SKU-1\"], " + quantityOne + "}",
        "[{" + sku + ", " + quantityOne + "}]",
        "\"SKU-1\"",
        "1",
        "null");
    List<String> updates = List.of("{\"quantity\": 1}", "{\"quantity\": 1000}", "{\"quantity\": 1001}",
        "{\"quantity\": 0}", "{\"quantity\": 2.0}", "{\"quantity\": 2, \"sku\": \"NO-SUCH-SKU\"}", "{}",
        "{\"quantity\": \"2\"}");
    int letThrough = 0;
    int refused = 0;
    List<Probe> probes = new java.util.ArrayList<>();
    adds.forEach(body -> probes.add(Probe.post("/api/v1/cart/items", "application/json", body)));
    updates.forEach(body -> probes.add(new Probe(HttpMethod.PATCH, "/api/v1/cart/items/NO-SUCH-SKU",
        Map.of("Content-Type", "application/json"), body)));
    for (Probe probe : probes) {
      HttpResponse<Buffer> expected = probe.sendTo(plain.request(probe.method(), reference.actualPort(),
          "127.0.0.1", probe.path()));
      HttpResponse<Buffer> actual = probe.sendTo(api.request(probe.method(), probe.path(), null));
      String what = probe.method() + " " + probe.path() + " " + probe.body();
      if (expected.statusCode() == 204) {
        letThrough++;
        if (actual.statusCode() == 422) {
          // past the contract, the cart checks a SKU with its own rule, stricter than the contract's pattern (whose
          // "$" also matches before a final line break, as java.util.regex reads it): its refusal, not the contract's
          assertThat(actual.bodyAsJsonObject().getString("detail")).as(what)
              .isEqualTo("sku must be 1-64 letters, digits, '.', '_' or '-'");
        } else {
          assertThat(actual.statusCode()).as(what + ": " + actual.bodyAsString()).isIn(200, 404);
        }
      } else {
        refused++;
        assertThat(expected.statusCode()).as("the reference refuses " + what).isBetween(400, 499);
        assertThat(actual.statusCode()).as(what).isEqualTo(expected.statusCode());
        assertThat(actual.getHeader("Content-Type")).as(what).isEqualTo(ProblemHandler.PROBLEM_JSON);
        assertThat(actual.bodyAsJsonObject()).as(what).isEqualTo(expected.bodyAsJsonObject());
      }
    }
    assertThat(letThrough).as("bodies the reference lets through").isGreaterThanOrEqualTo(8);
    assertThat(refused).as("bodies the reference refuses").isGreaterThanOrEqualTo(25);
  }
}
