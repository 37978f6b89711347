package io.webstore.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Response;
import io.webstore.WebStore;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.io.IOException;
import java.math.BigDecimal;
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
 * Fraud scoring on a store of its own: its runtime file holds models simple enough to predict each decision, and it
 * trusts {@code X-Forwarded-For}, so each test is its own set of clients. Payments are scored through {@code
 * fraud.score} (the checkout asks once it is wired), logins through HTTP.
 */
@WebstoreTest
class FraudScoringTest {

  static final String PASSWORD = "Correct-horse-42";
  static Path runtimeFile;
  static WebStore store;
  static Api api;
  static FraudClient fraud;

  @BeforeAll
  static void start(Stores stores) throws IOException {
    runtimeFile = Files.createTempDirectory("fraud").resolve("runtime.json");
    writeSettings(1.0);
    store = stores.start(new JsonObject()
        .put("runtime", new JsonObject().put("file", runtimeFile.toString()).put("scanPeriodMs", 200))
        .put("http", new JsonObject().put("trustedProxyHeader", "X-Forwarded-For"))
        // a slow Redis on the busy test machine is not what these tests are about
        .put("fraud", new JsonObject().put("redisTimeoutMs", 5_000).put("loginRetryAfterSeconds", 120)));
    api = stores.api(store);
    fraud = new FraudClient(store.vertx());
  }

  /**
   * Payment: {@code z = -6 + cardWeight * (distinct cards - 1)}; at weight 1 the 8th and 9th card are reviewed (0.73,
   * 0.88) and the 10th is blocked (0.95). Login: {@code z = -5 + 2 ln(1 + failures from the address) + ln(1 +
   * failures of the email)}. The rate limits are out of the way: every 429 here is the fraud scorer's.
   */
  static void writeSettings(double cardWeight) throws IOException {
    Files.writeString(runtimeFile, new JsonObject()
        .put("rateLimits", new JsonObject().put("perClientPerSecond", 100_000)
            .put("loginsPerClientPerMinute", 1_000_000).put("failedLoginsPerClientPerHour", 1_000_000)
            .put("loginsPerAccountPerMinute", 1_000_000).put("failedLoginsPerAccountPerHour", 1_000_000))
        .put("fraud", new JsonObject().put("reviewScore", 700).put("rejectScore", 900)
            .put("models", new JsonObject()
                .put("payment", new JsonObject().put("bias", -6)
                    .put("weights", new JsonObject().put("distinct_cards_account", cardWeight)))
                .put("login", new JsonObject().put("bias", -5)
                    .put("weights", new JsonObject().put("failed_logins_ip", 2.0).put("failed_logins_account", 1.0)))))
        .put("flags", new JsonObject().put("cacheTtlMs", 5000).put("defaults", new JsonObject()))
        .encodePrettily());
  }

  static String newClient() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  static FraudVerdict pay(String account, String ip, String cardToken) {
    return Engines.await(fraud.score(FraudRequest.payment(account, ip, cardToken, new BigDecimal("49.90"), "EUR")));
  }

  @Test
  void oneAccountTryingTwentyCardsInAMinuteIsBlockedFromTheTenthCard() {
    String account = "c-" + UUID.randomUUID();
    String ip = newClient();
    List<Decision> decisions = new ArrayList<>();
    List<FraudVerdict> verdicts = new ArrayList<>();
    for (int card = 1; card <= 20; card++) {
      FraudVerdict verdict = pay(account, ip, "tok_card_" + UUID.randomUUID());
      verdicts.add(verdict);
      decisions.add(verdict.decision());
    }

    assertThat(decisions.subList(0, 7)).as("cards 1 to 7").containsOnly(Decision.ALLOW);
    assertThat(decisions.subList(7, 9)).as("cards 8 and 9").containsOnly(Decision.REVIEW);
    assertThat(decisions.subList(9, 20)).as("cards 10 to 20").containsOnly(Decision.BLOCK);
    FraudVerdict tenth = verdicts.get(9);
    assertThat(tenth.score()).isCloseTo(1 / (1 + Math.exp(-3)), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(tenth.reasons()).containsExactly("distinct_cards_account");
    assertThat(tenth.scorer()).isEqualTo("local");
    assertThat(tenth.retryAfterSeconds()).as("only a blocked login says when to come back").isZero();

    String other = "c-" + UUID.randomUUID();
    assertThat(pay(other, ip, "tok_card_" + UUID.randomUUID()).decision())
        .as("another account from the same address, one card").isEqualTo(Decision.ALLOW);
    String sameCard = "tok_card_" + UUID.randomUUID();
    for (int i = 0; i < 20; i++) {
      assertThat(pay(other, ip, sameCard).decision()).as("the same card again").isEqualTo(Decision.ALLOW);
    }
    Counter blocked = store.services().meters().find("webstore.fraud.scores")
        .tags("event", "payment", "decision", "block", "scorer", "local").counter();
    assertThat(blocked).isNotNull();
    assertThat(blocked.count()).isGreaterThanOrEqualTo(11);
  }

  @Test
  void theModelFollowsTheRuntimeFileWithoutARestart() throws IOException {
    try {
      writeSettings(5.0); // z = -6 + 5 * (cards - 1): the third card scores 0.98
      Deadline.await("the heavier card weight applies", Duration.ofSeconds(20), () -> {
        String account = "c-" + UUID.randomUUID();
        String ip = newClient();
        pay(account, ip, "tok_a");
        pay(account, ip, "tok_b");
        return pay(account, ip, "tok_c").decision() == Decision.BLOCK;
      });
    } finally {
      writeSettings(1.0);
      Deadline.await("the other tests' model is back", Duration.ofSeconds(20), () -> {
        String account = "c-" + UUID.randomUUID();
        String ip = newClient();
        pay(account, ip, "tok_a");
        pay(account, ip, "tok_b");
        return pay(account, ip, "tok_c").decision() == Decision.ALLOW;
      });
    }
  }

  @Test
  void redisKeysHoldNeitherCardTokensNorEmails() {
    String token = "tok_secret_" + UUID.randomUUID();
    String email = "fraud-" + UUID.randomUUID() + "@example.com";
    pay("c-" + UUID.randomUUID(), newClient(), token);
    Engines.await(fraud.score(FraudRequest.login(email, newClient())));
    Engines.await(fraud.loginFailed(email, newClient()));

    Response keys = Engines.await(store.services().redisApi().keys("fr{1}:*"));
    List<String> names = new ArrayList<>();
    keys.forEach(key -> names.add(key.toString()));
    assertThat(names).isNotEmpty();
    assertThat(names).noneMatch(name -> name.contains(token) || name.contains(email) || name.contains("@"));
    Response members = Engines.await(store.services().redisApi().zrange(List.of(
        names.stream().filter(name -> name.startsWith("fr{1}:cards:")).findFirst().orElseThrow(), "0", "-1")));
    members.forEach(member -> assertThat(member.toString()).doesNotContain(token).hasSize(32));
  }

  @Test
  void aRequestWithABlankAddressIsRefused() {
    Throwable refused = Engines.awaitFailure(store.vertx().eventBus().request(FraudVerticle.SCORE,
        new JsonObject().put("event", "login").put("ip", " ").put("email", "a@example.com")), Duration.ofSeconds(10));
    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refused).failureCode()).as("validation").isEqualTo(4);
    assertThat(refused.getMessage()).contains("/ip");
  }

  // -- logins through HTTP ---------------------------------------------------------------------------------------

  static Future<HttpResponse<Buffer>> logIn(String client, String email, String password) {
    return api.request(HttpMethod.POST, "/api/v1/auth/login", null).putHeader("X-Forwarded-For", "203.0.113.9, "
        + client).sendJsonObject(new JsonObject().put("email", email).put("password", password));
  }

  static void assertBlocked(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(429);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.getHeader("Retry-After")).isEqualTo("120");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/too-many-requests");
    assertThat(problem.getString("detail")).isEqualTo("too many login attempts; retry in 120 s");
  }

  @Test
  void credentialStuffingFromOneAddressGets429WhileACustomerElsewhereLogsIn() {
    String customer = "fraud-" + UUID.randomUUID() + "@example.com";
    String home = newClient();
    HttpResponse<Buffer> created = Engines.await(api.request(HttpMethod.POST, "/api/v1/auth/signup", null)
        .putHeader("X-Forwarded-For", home)
        .sendJsonObject(new JsonObject().put("email", customer).put("password", PASSWORD)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

    String attacker = newClient();
    List<HttpResponse<Buffer>> stuffing = new ArrayList<>();
    List<HttpResponse<Buffer>> customerLogins = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Future<HttpResponse<Buffer>> attempt = logIn(attacker, "victim-" + UUID.randomUUID() + "@example.com",
          "Guess-" + i);
      if (i % 20 == 0) { // the customer logs in while the attack is under way
        Future<HttpResponse<Buffer>> normal = logIn(home, customer, PASSWORD);
        Engines.await(Future.join(attempt, normal));
        customerLogins.add(normal.result());
      }
      stuffing.add(Engines.await(attempt));
    }

    assertThat(stuffing).allSatisfy(r -> assertThat(r.statusCode()).as(r.bodyAsString()).isIn(401, 429));
    List<HttpResponse<Buffer>> refused = stuffing.stream().filter(r -> r.statusCode() == 429).toList();
    // z = -5 + 2 ln(1 + failures): blocked from about the 25th failure on
    assertThat(refused).as("429s among 200 guesses").hasSizeGreaterThanOrEqualTo(150);
    assertThat(stuffing.subList(150, 200)).as("the attack's tail").allSatisfy(r -> assertThat(r.statusCode())
        .isEqualTo(429));
    refused.forEach(FraudScoringTest::assertBlocked);
    assertThat(customerLogins).hasSize(10).allSatisfy(r -> {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getString("access_token")).isNotBlank();
    });

    // from the blocked address, a known email with its right password, the same with a wrong one, and an unknown
    // email all get the same answer
    List<HttpResponse<Buffer>> fromAttacker = List.of(
        Engines.await(logIn(attacker, customer, PASSWORD)),
        Engines.await(logIn(attacker, customer, "Wrong-horse-42")),
        Engines.await(logIn(attacker, "nobody-" + UUID.randomUUID() + "@example.com", PASSWORD)));
    fromAttacker.forEach(FraudScoringTest::assertBlocked);
    assertThat(fromAttacker.stream().map(r -> r.bodyAsJsonObject().copy().put("instance", "").encode()).distinct())
        .hasSize(1);
    assertThat(Engines.await(logIn(home, customer, PASSWORD)).statusCode()).isEqualTo(200);

    Counter blocked = store.services().meters().find("webstore.fraud.scores")
        .tags("event", "login", "decision", "block", "scorer", "local").counter();
    assertThat(blocked).isNotNull();
    assertThat(blocked.count()).isGreaterThanOrEqualTo(refused.size());
  }
}
