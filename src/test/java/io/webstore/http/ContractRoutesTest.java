package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract and the router agree: every operation in openapi.yaml is routed (never the router's own 404 or 405),
 * and the store refuses to start with an operation that has no handler ({@link HttpVerticle}).
 */
@WebstoreTest
class ContractRoutesTest {

  @Shared static Api api;
  static Vertx vertx;

  @BeforeAll
  static void start(Vertx shared) {
    vertx = shared;
  }

  @Test
  void everyContractOperationIsRouted() {
    OpenAPIContract contract = Engines.await(OpenAPIContract.from(vertx, HttpVerticle.CONTRACT));
    List<String> unrouted = new ArrayList<>();
    int operations = 0;
    for (Path path : contract.getPaths()) {
      String concrete = path.getName().replaceAll("\\{[^/}]+}", "contract-probe");
      for (Operation operation : path.getOperations()) {
        operations++;
        HttpResponse<Buffer> response = Engines.await(api.request(operation.getHttpMethod(), concrete, null)
            .sendJsonObject(new JsonObject()));
        boolean routerMiss = response.statusCode() == 405 || (response.statusCode() == 404
            && response.bodyAsString().contains("no resource at"));
        if (routerMiss) {
          unrouted.add(operation.getHttpMethod() + " " + path.getName() + " -> " + response.statusCode());
        }
      }
    }
    assertThat(operations).isGreaterThanOrEqualTo(5);
    assertThat(unrouted).as("operations in openapi.yaml that the router does not serve").isEmpty();
  }

  @Test
  void corsPreflightAllowsConfiguredOriginsOnly() {
    HttpResponse<Buffer> allowed = Engines.await(api.request(io.vertx.core.http.HttpMethod.OPTIONS,
            "/health/live", null)
        .putHeader("Origin", "http://localhost:3000")
        .putHeader("Access-Control-Request-Method", "GET").send());
    assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    HttpResponse<Buffer> other = Engines.await(api.request(io.vertx.core.http.HttpMethod.OPTIONS,
            "/health/live", null)
        .putHeader("Origin", "https://evil.example")
        .putHeader("Access-Control-Request-Method", "GET").send());
    assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(other.statusCode()).isEqualTo(403);
  }
}
