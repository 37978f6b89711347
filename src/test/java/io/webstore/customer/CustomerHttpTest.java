package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@WebstoreTest
class CustomerHttpTest {

  static final String PASSWORD = "Correct-horse-42";
  static final String PROBLEM_JSON = "application/problem+json";

  @Shared static Api api;

  static String newEmail() {
    return "c-" + UUID.randomUUID() + "@example.com";
  }

  static HttpResponse<Buffer> signUp(String email, String password) {
    return api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", password));
  }

  static HttpResponse<Buffer> logIn(String email, String password) {
    return api.call(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", password));
  }

  static String tokenOf(String email, String password) {
    HttpResponse<Buffer> login = logIn(email, password);
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    return login.bodyAsJsonObject().getString("access_token");
  }

  static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(PROBLEM_JSON);
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  @Test
  void signUpReturnsTheProfileAndTheLoginTokenOpensMe() {
    String email = newEmail();
    Instant before = Instant.now();
    HttpResponse<Buffer> created = signUp(email, PASSWORD);

    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Content-Type")).startsWith("application/json");
    JsonObject profile = created.bodyAsJsonObject();
    assertThat(profile.fieldNames()).containsExactlyInAnyOrder("id", "email", "created_at", "consents");
    assertThat(UUID.fromString(profile.getString("id"))).isNotNull();
    assertThat(profile.getString("email")).isEqualTo(email);
    assertThat(Instant.parse(profile.getString("created_at"))).isBetween(before.minusSeconds(1), Instant.now());
    assertThat(profile.getJsonObject("consents")).isEqualTo(new JsonObject()
        .put("marketing_email", false).put("marketing_sms", false).put("analytics", false));

    HttpResponse<Buffer> login = logIn(email, PASSWORD);
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    assertThat(login.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject token = login.bodyAsJsonObject();
    assertThat(token.fieldNames())
        .containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "refresh_token");
    assertThat(token.getString("token_type")).isEqualTo("Bearer");
    assertThat(token.getLong("expires_in")).isEqualTo(api.store().services().config().auth().tokenTtl().toSeconds());
    JsonObject claims = Jwts.payload(token.getString("access_token"));
    assertThat(claims.getString("sub")).isEqualTo(profile.getString("id"));
    assertThat(claims.getString("email")).isEqualTo(email);
    assertThat(claims.getJsonArray("cognito:groups")).isEqualTo(new JsonArray());
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(token.getLong("expires_in"));

    HttpResponse<Buffer> me = api.get("/api/v1/customers/me", token.getString("access_token"));
    assertThat(me.statusCode()).as(me.bodyAsString()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject()).isEqualTo(profile);
  }

  @Test
  void metricsCountSignUpsLoginsAndStoreCallsWithoutNamingAnyone() {
    String email = newEmail();
    assertThat(signUp(email, PASSWORD).statusCode()).isEqualTo(201);
    assertThat(logIn(email, PASSWORD + "-wrong").statusCode()).isEqualTo(401);

    String metrics = api.management("/metrics").bodyAsString();

    assertThat(metrics)
        .contains("webstore_customer_signups_total{outcome=\"success\"")
        .contains("webstore_customer_logins_total{outcome=\"Unauthorized\"")
        .contains("webstore_customer_password_hashing_seconds_count{operation=\"verify\"")
        .containsPattern("webstore_customer_dynamo_calls_seconds_count\\{operation=\"claimEmail\",outcome=\"success\"")
        .doesNotContain(email);
  }

  @Test
  void emailsAreOneAccountWhateverTheirCase() {
    String email = newEmail();
    String shouted = email.toUpperCase();
    HttpResponse<Buffer> created = signUp("  " + shouted + " ", PASSWORD);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("email")).isEqualTo(email);

    assertProblem(signUp(email, PASSWORD + "x"), 409);
    assertThat(Jwts.payload(tokenOf(email, PASSWORD)).getString("sub"))
        .isEqualTo(created.bodyAsJsonObject().getString("id"));
  }

  @Test
  void aSecondSignUpWithTheSameEmailIs409AndChangesNothing() {
    String email = newEmail();
    HttpResponse<Buffer> first = signUp(email, PASSWORD);
    assertThat(first.statusCode()).isEqualTo(201);

    HttpResponse<Buffer> second = signUp(email, "Another-password-7");

    assertProblem(second, 409);
    assertThat(second.bodyAsJsonObject().getString("type")).isEqualTo("/problems/conflict");
    assertThat(Jwts.payload(tokenOf(email, PASSWORD)).getString("sub"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertProblem(logIn(email, "Another-password-7"), 401);
  }

  @ParameterizedTest(name = "{0} breaks {1}")
  @CsvSource({
      "Short-pw-1,          min_length",
      "no-digits-at-all-here, digit_required",
      "1234567890123456,    letter_required",
      "LOCALPART-shouted-42, contains_email",
      "MAX,                 max_length"})
  void weakPasswordsAre422NamingTheRuleAndCreateNothing(String password, String rule) {
    String email = "localpart-" + UUID.randomUUID() + "@example.com";
    String attempt = password.equals("MAX") ? "a1".repeat(65)
        : password.replace("LOCALPART", email.substring(0, email.indexOf('@')).toUpperCase());

    HttpResponse<Buffer> rejected = signUp(email, attempt);

    assertProblem(rejected, 422);
    JsonObject problem = rejected.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/validation");
    JsonArray errors = problem.getJsonArray("errors");
    assertThat(errors).hasSize(1);
    JsonObject error = errors.getJsonObject(0);
    assertThat(error.getString("pointer")).isEqualTo("/password");
    assertThat(error.getString("rule")).isEqualTo(rule);
    assertThat(error.getString("detail")).isNotBlank();
    assertThat(problem.getString("detail")).contains(error.getString("detail"));
    assertProblem(logIn(email, attempt), 401);
    assertThat(signUp(email, PASSWORD).statusCode()).isEqualTo(201); // nothing was created by the rejected attempt
  }

  @Test
  void aPasswordCanBreakSeveralRulesAtOnce() {
    HttpResponse<Buffer> rejected = signUp(newEmail(), "short");
    assertProblem(rejected, 422);
    assertThat(rejected.bodyAsJsonObject().getJsonArray("errors").stream().map(JsonObject.class::cast)
        .map(error -> error.getString("rule"))).containsExactlyInAnyOrder("min_length", "digit_required");
  }

  @Test
  void anEmailWithoutADomainIs422OnEmail() {
    HttpResponse<Buffer> rejected = signUp("not-an-email", PASSWORD);
    assertProblem(rejected, 422);
    assertThat(rejected.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/email");
  }

  @Test
  void wrongPasswordAndUnknownEmailAreTheSame401AndTakeAsLong() {
    String email = newEmail();
    assertThat(signUp(email, PASSWORD).statusCode()).isEqualTo(201);
    String unknown = newEmail();

    HttpResponse<Buffer> wrongPassword = logIn(email, PASSWORD + "-wrong");
    HttpResponse<Buffer> unknownEmail = logIn(unknown, PASSWORD);

    for (HttpResponse<Buffer> response : List.of(wrongPassword, unknownEmail)) {
      assertProblem(response, 401);
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
      assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/unauthorized");
    }
    assertThat(unknownEmail.bodyAsJsonObject().getString("detail"))
        .isEqualTo(wrongPassword.bodyAsJsonObject().getString("detail"));

    // Without the dummy hash an unknown email answers in ~1 ms against ~50 ms for a wrong password. Interleaved
    // medians keep the comparison fair on a noisy machine; the bound is loose on purpose.
    long[] wrong = new long[7];
    long[] missing = new long[7];
    for (int i = 0; i < wrong.length; i++) {
      wrong[i] = timed(() -> logIn(email, PASSWORD + "-wrong"));
      missing[i] = timed(() -> logIn(unknown, PASSWORD));
    }
    assertThat(median(missing)).as("unknown email %s ns vs wrong password %s ns", Arrays.toString(missing),
        Arrays.toString(wrong)).isGreaterThan(median(wrong) * 4 / 10);
  }

  private static long timed(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return System.nanoTime() - start;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  @Test
  void tenConcurrentSignUpsOfOneEmailCreateExactlyOneAccount() {
    String email = newEmail();
    List<Future<HttpResponse<Buffer>>> attempts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      attempts.add(api.send(HttpMethod.POST, "/api/v1/auth/signup", null,
          new JsonObject().put("email", email).put("password", PASSWORD + "-" + i)));
    }
    Engines.await(Future.join(attempts));

    List<Integer> statuses = attempts.stream().map(attempt -> attempt.result().statusCode()).toList();
    assertThat(statuses).as(statuses.toString()).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
    int winner = statuses.indexOf(201);
    String winnerId = attempts.get(winner).result().bodyAsJsonObject().getString("id");
    String token = tokenOf(email, PASSWORD + "-" + winner);
    assertThat(Jwts.payload(token).getString("sub")).isEqualTo(winnerId);
    assertThat(api.get("/api/v1/customers/me", token).bodyAsJsonObject().getString("id")).isEqualTo(winnerId);
    assertProblem(logIn(email, PASSWORD + "-" + ((winner + 1) % 10)), 401);
  }

  @Test
  void consentsChangeOneAtATimeAndStay() {
    String email = newEmail();
    assertThat(signUp(email, PASSWORD).statusCode()).isEqualTo(201);
    String token = tokenOf(email, PASSWORD);

    HttpResponse<Buffer> first = api.call(HttpMethod.PATCH, "/api/v1/customers/me", token,
        new JsonObject().put("consents", new JsonObject().put("marketing_email", true)));
    HttpResponse<Buffer> second = api.call(HttpMethod.PATCH, "/api/v1/customers/me", token,
        new JsonObject().put("consents", new JsonObject().put("analytics", true).put("marketing_sms", false)));

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getJsonObject("consents")).isEqualTo(new JsonObject()
        .put("marketing_email", true).put("marketing_sms", false).put("analytics", false));
    JsonObject expected = new JsonObject().put("marketing_email", true).put("marketing_sms", false)
        .put("analytics", true);
    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getJsonObject("consents")).isEqualTo(expected);
    assertThat(api.get("/api/v1/customers/me", token).bodyAsJsonObject().getJsonObject("consents"))
        .isEqualTo(expected);
  }

  @Test
  void consentChangesOutsideTheContractAre422AndChangeNothing() {
    String email = newEmail();
    assertThat(signUp(email, PASSWORD).statusCode()).isEqualTo(201);
    String token = tokenOf(email, PASSWORD);
    List<JsonObject> bodies = List.of(
        new JsonObject().put("consents", new JsonObject().put("telepathy", true)),
        new JsonObject().put("consents", new JsonObject().put("analytics", "yes")),
        new JsonObject().put("consents", new JsonObject()),
        new JsonObject().put("consents", new JsonObject().put("analytics", true)).put("email", "x@example.com"),
        new JsonObject());

    for (JsonObject body : bodies) {
      assertProblem(api.call(HttpMethod.PATCH, "/api/v1/customers/me", token, body), 422);
    }
    JsonObject me = api.get("/api/v1/customers/me", token).bodyAsJsonObject();
    assertThat(me.getString("email")).isEqualTo(email);
    assertThat(me.getJsonObject("consents").getBoolean("analytics")).isFalse();
    assertProblem(api.call(HttpMethod.PATCH, "/api/v1/customers/me", null,
        new JsonObject().put("consents", new JsonObject().put("analytics", true))), 401);
  }

  @Test
  void aValidTokenForACustomerWithoutAProfileIs404OnMe() {
    String token = api.tokenFor(UUID.randomUUID().toString(), newEmail(), List.of());
    assertProblem(api.get("/api/v1/customers/me", token), 404);
    assertProblem(api.call(HttpMethod.PATCH, "/api/v1/customers/me", token,
        new JsonObject().put("consents", new JsonObject().put("analytics", true))), 404);
  }

  @Test
  void adminRouteIs403ForACustomerAnd200ForTheAdmin() {
    String email = newEmail();
    HttpResponse<Buffer> created = signUp(email, PASSWORD);
    String id = created.bodyAsJsonObject().getString("id");
    String customerToken = tokenOf(email, PASSWORD);

    HttpResponse<Buffer> forbidden = api.get("/api/v1/admin/customers/" + id, customerToken);
    assertProblem(forbidden, 403);
    assertThat(forbidden.bodyAsJsonObject().getString("type")).isEqualTo("/problems/forbidden");
    assertProblem(api.get("/api/v1/admin/customers/" + id, null), 401);

    String adminToken = tokenOf(Engines.ADMIN_EMAIL, Engines.ADMIN_PASSWORD);
    assertThat(Jwts.payload(adminToken).getJsonArray("cognito:groups")).contains("admin");
    HttpResponse<Buffer> found = api.get("/api/v1/admin/customers/" + id, adminToken);
    assertThat(found.statusCode()).as(found.bodyAsString()).isEqualTo(200);
    assertThat(found.bodyAsJsonObject()).isEqualTo(created.bodyAsJsonObject());
    assertProblem(api.get("/api/v1/admin/customers/" + UUID.randomUUID(), adminToken), 404);
  }

  @Test
  void malformedSignUpsAreProblemsThatCreateNothing() {
    String malformedEmail = newEmail();
    String unknownFieldEmail = newEmail();
    String hugeEmail = newEmail();

    HttpResponse<Buffer> malformed = Engines.await(api.request(HttpMethod.POST, "/api/v1/auth/signup", null)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"email\": \"" + malformedEmail + "\", \"password\": \"" + PASSWORD + "\"")));
    assertProblem(malformed, 400);

    HttpResponse<Buffer> unknownField = api.call(HttpMethod.POST, "/api/v1/auth/signup", null, new JsonObject()
        .put("email", unknownFieldEmail).put("password", PASSWORD).put("is_admin", true));
    assertProblem(unknownField, 422);
    assertThat(unknownField.bodyAsJsonObject().getJsonArray("errors").encode()).contains("is_admin");

    HttpResponse<Buffer> wrongType = api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", 5).put("password", PASSWORD));
    assertProblem(wrongType, 422);
    assertThat(wrongType.bodyAsJsonObject().getJsonArray("errors").encode()).contains("/email");

    String padding = "x".repeat(3 * 1024 * 1024);
    HttpResponse<Buffer> huge = api.call(HttpMethod.POST, "/api/v1/auth/signup", null, new JsonObject()
        .put("email", hugeEmail).put("password", PASSWORD).put("padding", padding));
    assertProblem(huge, 413);

    for (String email : List.of(malformedEmail, unknownFieldEmail, hugeEmail)) {
      assertProblem(logIn(email, PASSWORD), 401);
      assertThat(signUp(email, PASSWORD).statusCode()).isEqualTo(201);
    }
    assertThat(api.get("/health/live", null).statusCode()).isEqualTo(200);
  }
}
