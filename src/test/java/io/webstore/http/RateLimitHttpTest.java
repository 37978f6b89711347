package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits through HTTP on a store of its own with tiny limits. Each test is its own client: a fresh address in
 * {@code X-Forwarded-For}, the trusted proxy header of this store.
 */
@WebstoreTest
class RateLimitHttpTest {

  static final String PASSWORD = "Correct-horse-42";
  static Path runtimeFile;
  static WebStore store;
  static Api api;

  @BeforeAll
  static void start(Stores stores) throws IOException {
    runtimeFile = Files.createTempDirectory("ratelimit").resolve("runtime.json");
    writeLimits(5);
    store = stores.start(new JsonObject()
        .put("runtime", new JsonObject().put("file", runtimeFile.toString()).put("scanPeriodMs", 200))
        .put("http", new JsonObject().put("trustedProxyHeader", "X-Forwarded-For")
            .put("rateLimitTimeoutMs", 5_000))); // a slow Redis on the busy test machine is not what this is about
    api = stores.api(store);
  }

  static void writeLimits(int perClientPerSecond) throws IOException {
    Files.writeString(runtimeFile, new JsonObject()
        .put("rateLimits", new JsonObject()
            .put("perClientPerSecond", perClientPerSecond)
            .put("signUpsPerClientPerMinute", 2)
            .put("loginsPerClientPerMinute", 1000)
            .put("loginsPerAccountPerMinute", 1000)
            .put("failedLoginsPerClientPerHour", 3)
            .put("failedLoginsPerAccountPerHour", 3)
            .put("checkoutsPerAccountPerMinute", 1))
        .put("fraud", new JsonObject().put("reviewScore", 700).put("rejectScore", 900))
        .put("flags", new JsonObject().put("cacheTtlMs", 5000).put("defaults", new JsonObject()))
        .encodePrettily());
  }

  static String newClient() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  static Future<HttpResponse<Buffer>> send(String client, HttpMethod method, String path, String token,
      JsonObject body) {
    var request = api.request(method, path, token).putHeader("X-Forwarded-For", "203.0.113.9, " + client);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  static HttpResponse<Buffer> call(String client, HttpMethod method, String path, String token, JsonObject body) {
    return Engines.await(send(client, method, path, token, body));
  }

  static HttpResponse<Buffer> logIn(String client, String email, String password) {
    return call(client, HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", password));
  }

  static void assertLimited(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(429);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Integer.parseInt(response.getHeader("Retry-After"))).isGreaterThanOrEqualTo(1);
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/too-many-requests");
    assertThat(problem.getInteger("status")).isEqualTo(429);
  }

  static List<HttpResponse<Buffer>> burst(String client, int count) {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(send(client, HttpMethod.GET, "/api/v1/categories", null, null));
    }
    Engines.await(Future.join(sent));
    return sent.stream().map(Future::result).toList();
  }

  @Test
  void aClientOverThePerClientLimitGets429WithRetryAfterAndOthersAreServed() {
    String flooding = newClient();
    List<HttpResponse<Buffer>> answers = burst(flooding, 30);

    List<HttpResponse<Buffer>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(limited).as("a burst of 30 against 5 per second").isNotEmpty();
    limited.forEach(RateLimitHttpTest::assertLimited);
    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 429));
    assertThat(call(newClient(), HttpMethod.GET, "/api/v1/categories", null, null).statusCode()).isEqualTo(200);
    assertThat(call(flooding, HttpMethod.GET, "/health/live", null, null).statusCode()).isEqualTo(200);

    Counter counted = store.services().meters().find("webstore.ratelimit.decisions")
        .tags("limit", "client", "outcome", "limited").counter();
    assertThat(counted).isNotNull();
    assertThat(counted.count()).isGreaterThanOrEqualTo(limited.size());
    assertThat(store.services().meters().getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
        .noneMatch(tag -> tag.getValue().contains(flooding)));
  }

  @Test
  void thePerClientLimitFollowsTheRuntimeFile() throws IOException {
    String client = newClient();
    try {
      writeLimits(100_000);
      Deadline.await("the raised limit applies", Duration.ofSeconds(20),
          () -> burst(client, 30).stream().allMatch(r -> r.statusCode() == 200));
      writeLimits(1);
      Deadline.await("the lowered limit applies", Duration.ofSeconds(20),
          () -> burst(client, 10).stream().anyMatch(r -> r.statusCode() == 429));
    } finally {
      writeLimits(5);
      Deadline.await("the other tests' limit is back", Duration.ofSeconds(20),
          () -> burst(newClient(), 5).stream().allMatch(r -> r.statusCode() == 200));
    }
  }

  @Test
  void signUpsPerClientAreLimited() {
    String client = newClient();
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> created = call(client, HttpMethod.POST, "/api/v1/auth/signup", null, new JsonObject()
          .put("email", "rl-" + UUID.randomUUID() + "@example.com").put("password", PASSWORD));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    }
    assertLimited(call(client, HttpMethod.POST, "/api/v1/auth/signup", null, new JsonObject()
        .put("email", "rl-" + UUID.randomUUID() + "@example.com").put("password", PASSWORD)));
    assertThat(call(newClient(), HttpMethod.POST, "/api/v1/auth/signup", null, new JsonObject()
        .put("email", "rl-" + UUID.randomUUID() + "@example.com").put("password", PASSWORD)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void failedLoginsPerAccountLockItTheSameWayForKnownAndUnknownEmails() {
    String known = "rl-" + UUID.randomUUID() + "@example.com";
    assertThat(call(newClient(), HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", known).put("password", PASSWORD)).statusCode()).isEqualTo(201);
    String unknown = "rl-" + UUID.randomUUID() + "@example.com";

    List<String> answers = new ArrayList<>();
    for (String email : List.of(known, unknown)) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<Buffer> wrong = logIn(newClient(), email, PASSWORD + "-wrong");
        assertThat(wrong.statusCode()).as(wrong.bodyAsString()).isEqualTo(401);
      }
      HttpResponse<Buffer> locked = logIn(newClient(), email, PASSWORD); // even the right password, from anywhere
      assertLimited(locked);
      answers.add(locked.bodyAsJsonObject().getString("detail").replaceAll("\\d+", "N"));
    }
    assertThat(answers.get(0)).isEqualTo(answers.get(1));
    assertThat(logIn(newClient(), known.toUpperCase(), PASSWORD).statusCode())
        .as("the account is one bucket whatever the case").isEqualTo(429);
  }

  @Test
  void failedLoginsPerClientAreLimitedAcrossAccounts() {
    String client = newClient(); // 4 requests in all: below its per-client burst of 5, so the 429 is the failures'
    for (int i = 0; i < 3; i++) {
      assertThat(logIn(client, "rl-" + UUID.randomUUID() + "@example.com", PASSWORD).statusCode()).isEqualTo(401);
    }
    assertLimited(logIn(client, "rl-" + UUID.randomUUID() + "@example.com", PASSWORD));
  }

  @Test
  void checkoutsPerAccountAreLimited() {
    String customer = "c-" + UUID.randomUUID();
    String token = api.tokenFor(customer, customer + "@example.com", List.of());
    JsonObject body = new JsonObject().put("payment_token", "tok_approve").put("shipping_address", new JsonObject()
        .put("name", "A").put("line1", "1 Main St").put("city", "Springfield").put("postal_code", "12345")
        .put("country", "US"));
    var first = Engines.await(api.request(HttpMethod.POST, "/api/v1/checkout", token)
        .putHeader("X-Forwarded-For", newClient()).putHeader("Idempotency-Key", "rl-" + UUID.randomUUID())
        .sendJsonObject(body));
    assertThat(first.statusCode()).as(first.bodyAsString()).isNotEqualTo(429);
    assertLimited(Engines.await(api.request(HttpMethod.POST, "/api/v1/checkout", token)
        .putHeader("X-Forwarded-For", newClient()).putHeader("Idempotency-Key", "rl-" + UUID.randomUUID())
        .sendJsonObject(body)));
  }
}
