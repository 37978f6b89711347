package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The auth API as a client sees it, written once and run against both identity providers: the shared store
 * ({@code auth.mode=local}, {@link LocalAuthHttpTest}) and a store in {@code auth.mode=cognito} on cognito-local
 * ({@link CognitoAuthHttpTest}). Sign-up, confirmation, login, refresh, {@code GET /customers/me}, the admin route's
 * 403 and 200, and every way a bearer or refresh token can be bad get the same answers in both modes.
 */
abstract class AuthHttpSuite {

  static final String PASSWORD = "Correct-horse-42";
  static final String ME = "/api/v1/customers/me";

  /** A client of the store under test. */
  protected abstract Api api();

  /** Whether a new account must confirm its email before it can log in. */
  protected abstract boolean confirmationRequired();

  /** The code the identity provider sent to the account {@code customerId} (any code where none is needed). */
  protected abstract String confirmationCode(String customerId);

  static String newEmail() {
    return "auth-" + UUID.randomUUID() + "@example.com";
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return api().call(HttpMethod.POST, path, null, body);
  }

  HttpResponse<Buffer> signUp(String email) {
    return post("/api/v1/auth/signup", new JsonObject().put("email", email).put("password", PASSWORD));
  }

  HttpResponse<Buffer> logIn(String email, String password) {
    return post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  HttpResponse<Buffer> confirm(String email, String code) {
    return post("/api/v1/auth/confirm", new JsonObject().put("email", email).put("code", code));
  }

  HttpResponse<Buffer> refresh(String refreshToken) {
    return post("/api/v1/auth/refresh", new JsonObject().put("refresh_token", refreshToken));
  }

  /** A confirmed account that has logged in: its id and login answer. */
  record Account(String id, String email, JsonObject login) {
    String accessToken() {
      return login.getString("access_token");
    }

    String refreshToken() {
      return login.getString("refresh_token");
    }
  }

  Account account() {
    String email = newEmail();
    HttpResponse<Buffer> created = signUp(email);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> confirmed = confirm(email, confirmationCode(id));
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(204);
    HttpResponse<Buffer> login = logIn(email, PASSWORD);
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    return new Account(id, email, login.bodyAsJsonObject());
  }

  static void assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/" + type);
  }

  @Test
  void signUpConfirmLogInRefreshAndMe() {
    String email = newEmail();
    HttpResponse<Buffer> created = signUp(email);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject profile = created.bodyAsJsonObject();
    assertThat(profile.getString("email")).isEqualTo(email);
    String id = profile.getString("id");

    if (confirmationRequired()) {
      HttpResponse<Buffer> early = logIn(email, PASSWORD);
      assertProblem(early, 403, "unconfirmed");
      assertThat(early.bodyAsJsonObject().getString("detail")).contains("/api/v1/auth/confirm");
    }
    String code = confirmationCode(id);
    HttpResponse<Buffer> confirmed = confirm(email, code);
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(204);
    assertThat(confirm(email, code).statusCode()).as("confirming again").isEqualTo(204);

    HttpResponse<Buffer> login = logIn(email.toUpperCase(java.util.Locale.ROOT), PASSWORD);
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    assertThat(login.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject tokens = login.bodyAsJsonObject();
    assertThat(tokens.getString("token_type")).isEqualTo("Bearer");
    assertThat(tokens.getLong("expires_in")).isPositive();
    assertThat(tokens.getString("refresh_token")).isNotBlank();

    HttpResponse<Buffer> me = api().get(ME, tokens.getString("access_token"));
    assertThat(me.statusCode()).as(me.bodyAsString()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject()).isEqualTo(profile);

    HttpResponse<Buffer> refreshed = refresh(tokens.getString("refresh_token"));
    assertThat(refreshed.statusCode()).as(refreshed.bodyAsString()).isEqualTo(200);
    assertThat(refreshed.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject next = refreshed.bodyAsJsonObject();
    assertThat(next.getString("refresh_token")).isNotBlank();
    HttpResponse<Buffer> meAgain = api().get(ME, next.getString("access_token"));
    assertThat(meAgain.statusCode()).as(meAgain.bodyAsString()).isEqualTo(200);
    assertThat(meAgain.bodyAsJsonObject().getString("id")).isEqualTo(id);
  }

  @Test
  void aWrongConfirmationCodeIs422OnCode() {
    String email = newEmail();
    assertThat(signUp(email).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> unknown = confirm(newEmail(), "123456");
    assertProblem(unknown, 422, "validation");
    assertThat(unknown.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/code");
    if (confirmationRequired()) {
      HttpResponse<Buffer> wrong = confirm(email, "not-the-code");
      assertProblem(wrong, 422, "validation");
      assertThat(wrong.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/code");
      assertProblem(logIn(email, PASSWORD), 403, "unconfirmed");
    }
  }

  @Test
  void aTakenEmailIs409AndAWeakPasswordIs422NamingTheRule() {
    Account account = account();
    assertProblem(signUp(account.email()), 409, "conflict");
    HttpResponse<Buffer> weak = post("/api/v1/auth/signup",
        new JsonObject().put("email", newEmail()).put("password", "short1"));
    assertProblem(weak, 422, "validation");
    assertThat(weak.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("rule"))
        .isEqualTo("min_length");
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailAreTheSame401() {
    Account account = account();
    HttpResponse<Buffer> wrong = logIn(account.email(), "Wrong-horse-42");
    HttpResponse<Buffer> unknown = logIn(newEmail(), PASSWORD);
    assertProblem(wrong, 401, "unauthorized");
    assertProblem(unknown, 401, "unauthorized");
    assertThat(wrong.bodyAsJsonObject().getString("detail"))
        .isEqualTo(unknown.bodyAsJsonObject().getString("detail"));
  }

  @Test
  void theAdminRouteIs403ForACustomerAnd200ForTheAdmin() {
    Account customer = account();
    String path = "/api/v1/admin/customers/" + customer.id();
    assertProblem(api().get(path, customer.accessToken()), 403, "forbidden");

    HttpResponse<Buffer> adminLogin = logIn(Engines.ADMIN_EMAIL, Engines.ADMIN_PASSWORD);
    assertThat(adminLogin.statusCode()).as(adminLogin.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> asAdmin = api().get(path, adminLogin.bodyAsJsonObject().getString("access_token"));
    assertThat(asAdmin.statusCode()).as(asAdmin.bodyAsString()).isEqualTo(200);
    assertThat(asAdmin.bodyAsJsonObject().getString("id")).isEqualTo(customer.id());
  }

  @Test
  void everyBadBearerTokenIs401() {
    Account account = account();
    String token = account.accessToken();
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String tamperedSubject = parts[0] + "." + segment(claims.copy().put("sub", UUID.randomUUID().toString())) + "."
        + parts[2];
    String tamperedGroups = parts[0] + "." + segment(claims.copy().put("cognito:groups",
        new JsonArray().add("admin"))) + "." + parts[2];
    String unsigned = segment(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + segment(claims) + ".";
    String expired = parts[0] + "." + segment(claims.copy().put("exp", 1)) + "." + parts[2];

    for (String bad : new String[] {null, "", "not-a-jwt", tamperedSubject, unsigned, expired,
        account.refreshToken(), parts[0] + "." + parts[1]}) {
      HttpResponse<Buffer> response = bad == null ? api().get(ME, null)
          : api().client().get(api().port(), "localhost", ME).putHeader("Authorization", "Bearer " + bad).send()
              .toCompletionStage().toCompletableFuture().join();
      assertProblem(response, 401, "unauthorized");
      assertThat(response.getHeader("WWW-Authenticate")).as(String.valueOf(bad)).startsWith("Bearer");
    }
    assertProblem(api().get("/api/v1/admin/customers/" + account.id(), tamperedGroups), 401, "unauthorized");
    assertThat(api().get(ME, token).statusCode()).as("the genuine token still works").isEqualTo(200);
  }

  @Test
  void aBadRefreshTokenIs401AndAnAccessTokenIsNoRefreshToken() {
    Account account = account();
    assertProblem(refresh("not-a-refresh-token"), 401, "unauthorized");
    assertProblem(refresh(UUID.randomUUID() + ":" + UUID.randomUUID()), 401, "unauthorized");
    assertProblem(refresh(account.accessToken()), 401, "unauthorized");
    assertProblem(post("/api/v1/auth/refresh", new JsonObject()), 422, "validation");
  }

  private static String segment(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
