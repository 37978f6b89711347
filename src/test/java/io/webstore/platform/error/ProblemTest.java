package io.webstore.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ProblemTest {

  @Test
  void extensionsNeverOverwriteTheStandardMembers() {
    Problem problem = Problem.of(new Conflict("order o-1 is placed and cannot become delivered", new JsonObject()
        .put("status", "placed").put("type", "x").put("title", "x").put("detail", "x").put("instance", "x")
        .put("allowed", "paid")));

    JsonObject body = problem.toJson("/api/v1/admin/orders/o-1/status");

    assertThat(body.getValue("status")).isEqualTo(409);
    assertThat(body.getString("type")).isEqualTo("/problems/conflict");
    assertThat(body.getString("title")).isEqualTo("Conflict");
    assertThat(body.getString("detail")).isEqualTo("order o-1 is placed and cannot become delivered");
    assertThat(body.getString("instance")).isEqualTo("/api/v1/admin/orders/o-1/status");
    assertThat(body.getString("allowed")).isEqualTo("paid");
  }

  @Test
  void unavailableAndRateLimitedAlwaysSayWhenToRetry() {
    assertThat(Problem.headersFor(503, 0)).containsEntry("Retry-After", "1");
    assertThat(Problem.headersFor(429, 0)).containsEntry("Retry-After", "1");
    assertThat(Problem.headersFor(429, 7)).containsEntry("Retry-After", "7");
    assertThat(Problem.headersFor(409, 0)).doesNotContainKey("Retry-After");
    assertThat(Problem.of(new RateLimited("slow down", 12)).headers()).containsEntry("Retry-After", "12");
  }
}
