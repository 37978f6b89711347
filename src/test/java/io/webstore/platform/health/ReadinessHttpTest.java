package io.webstore.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.dev.DevServices;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadinessHttpTest {

  static Api api;

  @BeforeAll
  static void start() {
    api = Api.shared();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void redisDownMakesReadiness503NamingItThenRecovers() {
    DevServices engines = Engines.shared().devServices();
    AtomicReference<HttpResponse<Buffer>> last = new AtomicReference<>();
    engines.stopRedis();
    try {
      Deadline.await("readiness 503 with redis down", Duration.ofSeconds(20), () -> {
        last.set(api.get("/health/ready", null));
        return last.get().statusCode() == 503;
      });
      JsonObject report = last.get().bodyAsJsonObject();
      assertThat(report.getString("status")).isEqualTo("DOWN");
      assertThat(check(report, "redis").getString("status")).isEqualTo("DOWN");
      assertThat(check(report, "dynamodb").getString("status")).isEqualTo("UP");
      assertThat(api.get("/health/live", null).statusCode()).isEqualTo(200);
    } finally {
      engines.startRedis();
    }
    Deadline.await("readiness 200 once redis is back", Duration.ofSeconds(30), () -> {
      last.set(api.get("/health/ready", null));
      return last.get().statusCode() == 200;
    });
    assertThat(check(last.get().bodyAsJsonObject(), "redis").getString("status")).isEqualTo("UP");
  }

  private static JsonObject check(JsonObject report, String id) {
    return report.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> id.equals(check.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + report.encode()));
  }
}
