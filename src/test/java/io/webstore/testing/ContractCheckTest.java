package io.webstore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.validation.ResponseValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract check itself: what it lets through and what it fails, without a store. */
class ContractCheckTest {

  static Vertx vertx;
  static ResponseValidator validator;
  static final JsonObject FLAG = new JsonObject().put("name", "new-checkout").put("enabled", true)
      .put("percentage", 10).put("version", 1).put("updated_at", "2025-01-01T00:00:00Z").put("updated_by", "admin");

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    validator = ContractCheck.shared().validator(vertx);
  }

  @AfterAll
  static void stop() {
    Engines.await(vertx.close());
  }

  private static void check(HttpMethod method, String uri, int status, String contentType, Buffer body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    Engines.await(ContractCheck.shared().validate(validator, method, uri, status, headers, body));
  }

  private static Buffer problem(int status) {
    return new JsonObject().put("type", "/problems/conflict").put("title", "Conflict").put("status", status)
        .put("detail", "changed meanwhile").put("instance", "/api/v1/admin/flags/x").toBuffer();
  }

  @Test
  void aDeclaredResponseMatchingItsSchemaPasses() {
    check(HttpMethod.PUT, "/api/v1/admin/flags/new-checkout", 200, "application/json", FLAG.toBuffer());
    check(HttpMethod.PUT, "/api/v1/admin/flags/new-checkout", 409, "application/problem+json", problem(409));
    check(HttpMethod.GET, "/api/v1/products?page=2", 429, "application/problem+json", problem(429));
  }

  @Test
  void anUndeclaredStatusFails() {
    assertThatThrownBy(() -> check(HttpMethod.PUT, "/api/v1/admin/flags/new-checkout", 402,
        "application/problem+json", problem(402)))
        .hasMessageContaining("status 402 is not declared for operation putFlag");
  }

  @Test
  void aFieldTheSchemaDoesNotNameFails() {
    assertThatThrownBy(() -> check(HttpMethod.PUT, "/api/v1/admin/flags/new-checkout", 200, "application/json",
        FLAG.copy().put("rollout", "fast").toBuffer()))
        .hasMessageContaining("putFlag");
  }

  @Test
  void aMissingRequiredFieldFails() {
    JsonObject drifted = FLAG.copy();
    drifted.remove("version");
    assertThatThrownBy(() -> check(HttpMethod.PUT, "/api/v1/admin/flags/new-checkout", 200, "application/json",
        drifted.toBuffer()))
        .hasMessageContaining("putFlag");
  }

  @Test
  void aProblemBodyIsCheckedAgainstProblemEvenOutsideTheContract() {
    JsonObject noTitle = problem(404).toJsonObject();
    noTitle.remove("title");
    assertThatThrownBy(() -> check(HttpMethod.GET, "/nope", 404, "application/problem+json", noTitle.toBuffer()))
        .hasMessageContaining("Problem schema");
    assertThatThrownBy(() -> check(HttpMethod.GET, "/nope", 404, "application/problem+json", problem(409)))
        .hasMessageContaining("differs");
    check(HttpMethod.GET, "/nope", 404, "application/problem+json", problem(404));
  }

  @Test
  void requestsThatAreNotOperationsAreExempt() {
    check(HttpMethod.OPTIONS, "/api/v1/products", 204, null, Buffer.buffer());
    assertThat(ContractViolations.drain()).isEmpty();
  }
}
