package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import org.junit.jupiter.api.Test;

/** Metrics and readiness details live on the management port, never on the public API port. */
@WebstoreTest
class ManagementPortHttpTest {

  @Shared static Api api;

  @Test
  void apiPortAnswersMetricsWithProblemJson404() {
    HttpResponse<Buffer> metrics = api.get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(404);
    assertThat(metrics.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(metrics.bodyAsString()).doesNotContain("jvm_memory_used_bytes");
  }

  @Test
  void publicReadinessSaysOnlyUpOrDown() {
    HttpResponse<Buffer> ready = api.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(ready.bodyAsString()).doesNotContain("dynamodb").doesNotContain("redis").doesNotContain("checks");
  }

  @Test
  void managementPortServesMetricsAndReadinessDetailsButNotTheApi() {
    assertThat(api.store().managementPort()).isPresent();
    assertThat(api.store().managementPort().getAsInt()).isNotEqualTo(api.port());

    HttpResponse<Buffer> metrics = api.management("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(metrics.bodyAsString()).contains("jvm_memory_used_bytes").contains("webstore_health_evaluations");

    HttpResponse<Buffer> details = api.management("/health/ready");
    assertThat(details.statusCode()).isEqualTo(200);
    JsonObject report = details.bodyAsJsonObject();
    assertThat(report.getString("state")).isEqualTo("ready");
    assertThat(report.getJsonArray("checks")).isNotEmpty();
    report.getJsonArray("checks").stream().map(JsonObject.class::cast).forEach(check -> {
      assertThat(check.getString("id")).isNotBlank();
      assertThat(check.getString("status")).isIn("UP", "DOWN");
      assertThat(check.getLong("duration_ms")).isNotNull();
    });

    HttpResponse<Buffer> notHere = api.management("/api/v1/products");
    assertThat(notHere.statusCode()).isEqualTo(404);
    assertThat(notHere.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void managementServerCanBeTurnedOff() {
    WebStore store = Engines.shared().startStore(new JsonObject()
        .put("management", new JsonObject().put("enabled", false)));
    try (Api own = new Api(store)) {
      assertThat(store.managementPort()).isEmpty();
      assertThat(own.get("/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(own.get("/metrics", null).statusCode()).isEqualTo(404);
    } finally {
      Engines.await(store.stop());
    }
  }
}
