package io.webstore.flags;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WebstoreTest
class FlagsHttpTest {

  @Shared static Api api;
  static String adminId;
  static String admin;

  @BeforeAll
  static void connect() {
    adminId = "admin-" + UUID.randomUUID();
    admin = api.tokenFor(adminId, adminId + "@example.com", List.of("admin"));
  }

  static String newFlagName() {
    return "t-" + UUID.randomUUID();
  }

  static String customerToken(String customerId) {
    return api.tokenFor(customerId, customerId + "@example.com", List.of());
  }

  static JsonObject rule(boolean enabled, int percentage) {
    return new JsonObject().put("enabled", enabled).put("percentage", percentage);
  }

  static HttpResponse<Buffer> put(String name, JsonObject body, String token) {
    return api.call(HttpMethod.PUT, "/api/v1/admin/flags/" + name, token, body);
  }

  static HttpResponse<Buffer> putIfMatch(String name, JsonObject body, String ifMatch) {
    return Engines.await(api.request(HttpMethod.PUT, "/api/v1/admin/flags/" + name, admin)
        .putHeader("If-Match", ifMatch)
        .sendJsonObject(body));
  }

  static JsonObject flagsOf(String token) {
    HttpResponse<Buffer> response = api.get("/api/v1/flags", token);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("private, no-store");
    return response.bodyAsJsonObject().getJsonObject("flags");
  }

  static Optional<JsonObject> stored(String name) {
    HttpResponse<Buffer> response = api.get("/api/v1/admin/flags", admin);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("flags").stream()
        .map(JsonObject.class::cast)
        .filter(flag -> flag.getString("name").equals(name))
        .findFirst();
  }

  static void assertProblem(HttpResponse<Buffer> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/" + slug);
  }

  /** The documented rule, computed independently of the production code. */
  static boolean expectedOn(String flag, String customerId, int percentage) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256")
        .digest((flag + ":" + customerId).getBytes(StandardCharsets.UTF_8));
    long unsigned = ByteBuffer.wrap(hash, 0, 4).getInt() & 0xFFFF_FFFFL;
    return unsigned % 100 < percentage;
  }

  @Test
  void adminChangeShowsForCustomersAtOnce() {
    String name = newFlagName();
    String customer = customerToken("cust-" + UUID.randomUUID());
    assertThat(flagsOf(customer).containsKey(name)).isFalse(); // the instance now caches a table without it

    HttpResponse<Buffer> created = put(name, rule(true, 100).put("description", "new checkout"), admin);

    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    assertThat(created.getHeader("ETag")).isEqualTo("\"1\"");
    JsonObject flag = created.bodyAsJsonObject();
    assertThat(flag.getString("name")).isEqualTo(name);
    assertThat(flag.getBoolean("enabled")).isTrue();
    assertThat(flag.getInteger("percentage")).isEqualTo(100);
    assertThat(flag.getString("description")).isEqualTo("new checkout");
    assertThat(flag.getLong("version")).isEqualTo(1);
    assertThat(flag.getString("updated_by")).isEqualTo(adminId);
    assertThat(flagsOf(customer).getBoolean(name)).isTrue();

    HttpResponse<Buffer> disabled = put(name, rule(false, 100), admin);

    assertThat(disabled.statusCode()).as(disabled.bodyAsString()).isEqualTo(200);
    assertThat(disabled.bodyAsJsonObject().getLong("version")).isEqualTo(2);
    assertThat(flagsOf(customer).getBoolean(name)).isFalse();
    JsonObject kept = stored(name).orElseThrow();
    assertThat(kept.getLong("version")).isEqualTo(2);
    assertThat(kept.getBoolean("enabled")).isFalse();
    assertThat(kept.containsKey("description")).as("a PUT replaces the whole rule").isFalse();
  }

  @Test
  void customerTokenOnAdminRoutesIs403AndNothingIsStored() {
    String name = newFlagName();
    String customer = customerToken("cust-" + UUID.randomUUID());

    assertProblem(put(name, rule(true, 100), customer), 403, "forbidden");
    assertProblem(api.get("/api/v1/admin/flags", customer), 403, "forbidden");
    assertProblem(put(name, rule(true, 100), null), 401, "unauthorized");
    assertThat(stored(name)).isEmpty();
  }

  @Test
  void evaluatedFlagsNeedABearerToken() {
    HttpResponse<Buffer> response = api.get("/api/v1/flags", null);

    assertProblem(response, 401, "unauthorized");
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void invalidRulesAre422AndNothingIsStored() {
    String name = newFlagName();
    List<JsonObject> invalid = List.of(
        rule(true, 101),
        rule(true, -1),
        rule(true, 30).put("rollout", "fast"),
        new JsonObject().put("enabled", "yes").put("percentage", 30),
        new JsonObject().put("enabled", true).put("percentage", "30"),
        new JsonObject().put("percentage", 30),
        rule(true, 30).put("description", "x".repeat(501)));

    for (JsonObject body : invalid) {
      HttpResponse<Buffer> response = put(name, body, admin);
      assertProblem(response, 422, "validation");
      assertThat(response.bodyAsJsonObject().getJsonArray("errors")).as(body.encode()).isNotEmpty();
    }
    assertProblem(put("Not_A_Flag", rule(true, 30), admin), 400, "bad-request");
    assertThat(stored(name)).isEmpty();
  }

  @Test
  void percentageTargetsAStableShareOfCustomers() throws Exception {
    String name = newFlagName();
    assertThat(put(name, rule(true, 30), admin).statusCode()).isEqualTo(200);
    List<String> customers = IntStream.range(0, 2000).mapToObj(i -> "cust-" + UUID.randomUUID()).toList();

    List<Boolean> first = evaluateOnBus(name, customers);
    List<Boolean> second = evaluateOnBus(name, customers);

    long on = first.stream().filter(Boolean::booleanValue).count();
    assertThat(on).as("customers on at 30%").isBetween(500L, 700L);
    assertThat(second).as("the same customer always gets the same answer").isEqualTo(first);
    for (int i = 0; i < customers.size(); i++) {
      assertThat(first.get(i)).as(customers.get(i)).isEqualTo(expectedOn(name, customers.get(i), 30));
    }
    for (int i = 0; i < 6; i++) { // and through the real endpoint, twice each
      String token = customerToken(customers.get(i));
      assertThat(flagsOf(token).getBoolean(name)).as(customers.get(i)).isEqualTo(first.get(i));
      assertThat(flagsOf(token).getBoolean(name)).isEqualTo(first.get(i));
    }
  }

  private static List<Boolean> evaluateOnBus(String flag, List<String> customers) {
    List<Future<Message<JsonObject>>> replies = customers.stream()
        .map(id -> api.store().vertx().eventBus().<JsonObject>request(FlagsVerticle.EVALUATE,
            new JsonObject().put("key", id)))
        .toList();
    Engines.await(Future.all(replies));
    return replies.stream().map(reply -> reply.result().body().getJsonObject("flags").getBoolean(flag)).toList();
  }

  @Test
  void concurrentPutsNeverOverwriteEachOtherSilently() {
    String name = newFlagName();
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sent.add(api.send(HttpMethod.PUT, "/api/v1/admin/flags/" + name, admin, rule(true, i * 5)));
    }
    Engines.await(Future.all(sent));
    List<HttpResponse<Buffer>> responses = sent.stream().map(Future::result).toList();

    assertThat(responses).allSatisfy(response ->
        assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 409));
    List<JsonObject> won = responses.stream().filter(response -> response.statusCode() == 200)
        .map(HttpResponse::bodyAsJsonObject).toList();
    assertThat(won).isNotEmpty();
    Set<Long> versions = won.stream().map(flag -> flag.getLong("version")).collect(Collectors.toSet());
    assertThat(versions).as("each accepted write has its own version, none skipped")
        .isEqualTo(LongStream.rangeClosed(1, won.size()).boxed().collect(Collectors.toSet()));
    JsonObject last = won.stream().filter(flag -> flag.getLong("version") == won.size()).findFirst().orElseThrow();
    JsonObject kept = stored(name).orElseThrow();
    assertThat(kept.getLong("version")).isEqualTo(won.size());
    assertThat(kept.getInteger("percentage")).isEqualTo(last.getInteger("percentage"));
    responses.stream().filter(response -> response.statusCode() == 409)
        .forEach(response -> assertProblem(response, 409, "conflict"));
  }

  @Test
  void staleIfMatchIsAConflictAndKeepsTheStoredRule() {
    String name = newFlagName();
    assertThat(put(name, rule(true, 10), admin).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> matched = putIfMatch(name, rule(true, 20), "\"1\"");
    assertThat(matched.statusCode()).as(matched.bodyAsString()).isEqualTo(200);
    assertThat(matched.getHeader("ETag")).isEqualTo("\"2\"");

    assertProblem(putIfMatch(name, rule(true, 90), "\"1\""),
        409, "conflict");
    assertProblem(putIfMatch(name, rule(true, 90), "\"0\""),
        409, "conflict");
    assertProblem(putIfMatch(name, rule(true, 90), "1"), 409, "conflict"); // ETag quotes are optional
    assertProblem(putIfMatch(name, rule(true, 90), "\"v1\""), 400, "bad-request");
    assertProblem(putIfMatch(name, rule(true, 90), "W/\"2\""), 400, "bad-request"); // weak: not for writes

    JsonObject kept = stored(name).orElseThrow();
    assertThat(kept.getLong("version")).isEqualTo(2);
    assertThat(kept.getInteger("percentage")).isEqualTo(20);
  }
}
