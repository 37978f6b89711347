package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.webstore.WebStore;
import io.webstore.testing.ContractCheck;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WebstoreTest
class SystemHttpTest {

  @Shared static WebStore app;
  static WebClient client;
  static WebClient management;

  @BeforeAll
  static void deploy(Vertx vertx) {
    client = ContractCheck.client(vertx);
    management = ContractCheck.unchecked(vertx); // the management port is not the public API
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path) {
    return Engines.await(client.request(method, app.port(), "localhost", path).send());
  }

  @Test
  void livenessAndReadinessAreUp() {
    assertThat(call(HttpMethod.GET, "/health/live").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> ready = call(HttpMethod.GET, "/health/ready");
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
    HttpResponse<Buffer> details = management("/health/ready");
    assertThat(details.statusCode()).as(details.bodyAsString()).isEqualTo(200);
    JsonObject report = details.bodyAsJsonObject();
    assertThat(report.getString("status")).isEqualTo("UP");
    assertThat(report.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .contains("dynamodb", "redis", "sqs", "kafka");
  }

  private HttpResponse<Buffer> management(String path) {
    return Engines.await(management.get(app.managementPort().orElseThrow(), "localhost", path).send());
  }

  @Test
  void unknownPathIsProblemJson404WithRequestIdEchoed() {
    HttpResponse<Buffer> response = Engines.await(client.get(app.port(), "localhost", "/nope/" + System.nanoTime())
        .putHeader("X-Request-Id", "test-req-1").send());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.getHeader("X-Request-Id")).isEqualTo("test-req-1");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/not-found");
    assertThat(problem.getInteger("status")).isEqualTo(404);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
  }

  @Test
  void wrongMethodIsProblemJson405() {
    HttpResponse<Buffer> response = call(HttpMethod.DELETE, "/health/live");
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(405);
  }

  @Test
  void generatedRequestIdAndSecurityHeaders() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/health/live");
    assertThat(response.getHeader("X-Request-Id")).isNotBlank();
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
  }

  @Test
  void generatedRequestIdsAreDistinctVersionFourUuidsBesideEverySecurityHeader() {
    HttpResponse<Buffer> first = call(HttpMethod.GET, "/health/live");
    HttpResponse<Buffer> second = call(HttpMethod.GET, "/health/live");
    String uuidV4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    assertThat(first.getHeader("X-Request-Id")).matches(uuidV4);
    assertThat(second.getHeader("X-Request-Id")).matches(uuidV4).isNotEqualTo(first.getHeader("X-Request-Id"));
    for (HttpResponse<Buffer> response : java.util.List.of(first, second)) {
      assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
      assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(response.getHeader("Content-Security-Policy"))
          .isEqualTo("default-src 'none'; frame-ancestors 'none'");
      assertThat(response.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
    }
  }

  @Test
  void metricsExposeJvmVertxAndRouteTemplates() {
    call(HttpMethod.GET, "/health/live");
    // a request is counted once its response's write completes, which can be a moment after its client read it
    String text = Deadline.until("GET /health/live counted", Duration.ofSeconds(10), () -> {
      HttpResponse<Buffer> metrics = management("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      return metrics.bodyAsString().contains("route=\"/health/live\"") ? metrics.bodyAsString() : null;
    });
    assertThat(text).contains("jvm_memory_used_bytes").contains("vertx_http_server_requests_total")
        .contains("route=\"/health/live\"").contains("webstore_http_access_log_dropped_total ");
  }

  @Test
  void contractIsServed() {
    HttpResponse<Buffer> contract = call(HttpMethod.GET, "/openapi.yaml");
    assertThat(contract.statusCode()).isEqualTo(200);
    assertThat(contract.bodyAsString()).contains("openapi: 3.1.0").contains("/health/ready");
  }
}
