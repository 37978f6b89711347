package io.webstore.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The store as its clients use it, shared by the simulations: the HTTP protocol, an account (sign-up, then log-in),
 * catalog pages with ETag revalidation, a cart and a checkout, each step sent again while the store sheds it.
 */
final class Shop {

  static final String STATUS = "status";
  static final String RAW_STATUS = "rawStatus";
  static final String RETRY_AFTER = "retryAfter";
  static final String REPLAYED = "replayed";
  static final String ATTEMPT = "attempt";
  static final String TOKEN = "token";
  static final String SESSION_ID = "sessionId";
  static final String PASSWORD = "Load-test-password-2026";
  /** Attempts of one step while it is shed (503 with Retry-After, 429) before the user gives up. */
  static final int MAX_ATTEMPTS = LoadSettings.number("maxAttempts", 40);
  /** Backoff between attempts doubles from this up to {@link #MAX_BACKOFF}, never below the store's Retry-After. */
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
  private static final String JSON = "application/json";

  private Shop() {}

  /**
   * Every virtual user is its own client: it sends its own address in {@code X-Forwarded-For}, which the store reads
   * for its per-client rate limits when started with {@code WEBSTORE_HTTP_TRUSTED_PROXY_HEADER=X-Forwarded-For} (as
   * behind a load balancer). Caching is off so that ETag revalidation is the simulation's own, visible request.
   */
  static HttpProtocolBuilder protocol(LoadSettings settings) {
    return http.baseUrl(settings.baseUrl())
        .acceptHeader(JSON)
        .contentTypeHeader(JSON)
        .userAgentHeader("webstore-gatling")
        .header("X-Forwarded-For", session -> clientAddress(session.userId()))
        .disableCaching()
        .disableWarmUp();
  }

  static String clientAddress(long userId) {
    return "10." + ((userId >> 16) & 0xff) + "." + ((userId >> 8) & 0xff) + "." + (userId & 0xff);
  }

  /** A fresh run id, so that accounts and SKUs of one run never meet those of another. */
  static String runId() {
    return Long.toString(System.currentTimeMillis(), 36);
  }

  // ---- accounts

  /** Signs up a new account (an existing one is fine) and logs in; {@code #{token}} is then its bearer token. */
  static ChainBuilder signUpAndLogIn(String runId) {
    return exec(session -> session.set("email", email(runId, session.userId())))
        .exec(signUp())
        .exitHereIf(session -> !isIn(session, 201, 409))
        .exec(logIn("log in", PASSWORD))
        .exitHereIf(session -> !session.contains(TOKEN));
  }

  static String email(String runId, long n) {
    return "load-" + runId + "-" + n + "@example.com";
  }

  /** Signs {@code #{email}} up; {@code #{status}} is 201, or 409 when the account exists. */
  static ChainBuilder signUp() {
    return untilServed("sign up", List.of(201, 409), false,
        http("sign up").post("/api/v1/auth/signup")
            .body(StringBody("{\"email\":\"#{email}\",\"password\":\"" + PASSWORD + "\"}")));
  }

  /** Logs {@code #{email}} in with the password; saves {@code #{token}} on success. */
  static ChainBuilder logIn(String name, String password) {
    return exec(session -> session.remove(TOKEN))
        .exec(untilServed(name, List.of(200), false,
            http(name).post("/api/v1/auth/login")
                .body(StringBody(session -> "{\"email\":\"" + session.getString("email") + "\",\"password\":\""
                    + password + "\"}"))
                .check(jmesPath("access_token").optional().saveAs(TOKEN))))
        .exec(session -> session.getInt(STATUS) == 200 ? session : session.remove(TOKEN));
  }

  // ---- catalog

  /**
   * The categories, then the listing of a random one of them; {@code #{skus}} are up to three SKUs of it that one can
   * still buy. A category with nothing left (a sold-out drop) sends the shopper to another, three times at most.
   */
  static ChainBuilder browseCategory() {
    return exec(http("categories").get("/api/v1/categories")
            .check(status().is(200), jsonPath("$.items[*].id").findAll().saveAs("categories")))
        .pause(Duration.ofMillis(300), Duration.ofSeconds(1))
        .exec(session -> session.set("skus", List.of()).set("listings", 0))
        .asLongAs(session -> session.getList("skus").isEmpty() && session.getInt("listings") < 3).on(
            exec(session -> session.set("listings", session.getInt("listings") + 1)
                .set("category", pickOne(session.getList("categories"))))
                .exec(http("category listing").get("/api/v1/products?category=#{category}&size=20")
                    .check(status().is(200),
                        jmesPath("items[?available > `0`].sku").ofList().transform(Shop::someOf).saveAs("skus"))));
  }

  private static Object pickOne(List<Object> items) {
    return items.get(ThreadLocalRandom.current().nextInt(items.size()));
  }

  private static List<Object> someOf(List<Object> skus) {
    List<Object> shuffled = new java.util.ArrayList<>(skus);
    java.util.Collections.shuffle(shuffled);
    return shuffled.subList(0, Math.min(3, shuffled.size()));
  }

  /**
   * A product page, then its revalidation with {@code If-None-Match}, each sent again while shed. A product's tag
   * changes with its availability, so where others buy meanwhile a fresh 200 is as right as 304; {@code unchanged}
   * requires the 304.
   */
  static ChainBuilder productPage(boolean unchanged) {
    return exec(session -> session.remove("etag"))
        .exec(untilServed("product", List.of(200), false, http("product").get("/api/v1/products/#{sku}")
            .check(header("ETag").optional().saveAs("etag"))))
        .exitHereIf(session -> !session.contains("etag"))
        .pause(Duration.ofMillis(200), Duration.ofMillis(800))
        .exec(untilServed("product revalidated", unchanged ? List.of(304) : List.of(200, 304), false,
            http("product revalidated").get("/api/v1/products/#{sku}").header("If-None-Match", "#{etag}")));
  }

  // ---- cart

  /** A guest's first look at the cart: the store opens a session and names it in {@code X-Session-Id}. */
  static HttpRequestActionBuilder openGuestCart() {
    return http("open cart").get("/api/v1/cart")
        .check(status().is(200), header("X-Session-Id").saveAs(SESSION_ID));
  }

  /** Adds one unit of {@code #{sku}}: 200, or 409 when it is sold out (both are answers, not errors). */
  static ChainBuilder addToCart(boolean guest) {
    return addToCart(guest, List.of(200, 409));
  }

  /**
   * Adds one unit of {@code #{sku}}, taking {@code answers} as answers. Each add has its own {@code Idempotency-Key},
   * sent again with every resend: an add whose answer was a 503 may have landed, and its resend then adds nothing.
   */
  static ChainBuilder addToCart(boolean guest, List<Integer> answers) {
    HttpRequestActionBuilder add = http("add to cart").post("/api/v1/cart/items")
        .header("Idempotency-Key", "#{addKey}")
        .body(StringBody("{\"sku\":\"#{sku}\",\"quantity\":1}"));
    return exec(session -> session.set("addKey", "add-" + UUID.randomUUID()))
        .exec(untilServed("add to cart", answers, false, guest
            ? add.header("X-Session-Id", "#{" + SESSION_ID + "}")
            : add.header("Authorization", "Bearer #{" + TOKEN + "}")));
  }

  static ChainBuilder viewCart(boolean guest) {
    HttpRequestActionBuilder view = http("view cart").get("/api/v1/cart");
    return untilServed("view cart", List.of(200), false, guest
        ? view.header("X-Session-Id", "#{" + SESSION_ID + "}")
        : view.header("Authorization", "Bearer #{" + TOKEN + "}"));
  }

  // ---- checkout and orders

  /**
   * Checks the cart out under an {@code Idempotency-Key}, and sends the SAME key again while the answer is not
   * settled (503 with Retry-After), over a rate limit (429) or lost (no answer): the store places at most one order
   * per key. A replayed 503 ({@code Idempotent-Replayed: true}) is the key's stored answer, a rollback with nothing
   * charged: the shopper then places the order again with a new key, twice at most. 201 saves {@code #{orderId}};
   * 409 (sold out meanwhile, or the cart taken) is an answer too.
   */
  static ChainBuilder checkout() {
    return exec(session -> session.set("keys", 0).remove("orderId"))
        .asLongAs(session -> session.getInt("keys") == 0
            || (session.getInt(STATUS) == 503 && session.contains(REPLAYED) && session.getInt("keys") < 3)).on(
            exec(session -> session.set("idempotencyKey", "load-" + UUID.randomUUID())
                .set("keys", session.getInt("keys") + 1))
                .exec(untilServed("checkout", List.of(201, 409), true, Shop::stillInProgress,
                    http("checkout").post("/api/v1/checkout")
                        .header("Authorization", "Bearer #{" + TOKEN + "}")
                        .header("Idempotency-Key", "#{idempotencyKey}")
                        .body(StringBody("{\"shipping_address\":{\"name\":\"Load Test\",\"line1\":\"1 Main Street\","
                            + "\"city\":\"Springfield\",\"postal_code\":\"12345\",\"country\":\"US\"},"
                            + "\"payment_token\":\"tok_approve\"}"))
                        .check(jmesPath("id").optional().saveAs("orderId"),
                            jmesPath("type").optional().saveAs("problemType")))))
        .exec(session -> session.getInt(STATUS) == 201 ? session : session.remove("orderId"));
  }

  /**
   * A resent key whose first checkout is still running answers, after {@code checkout.replayWaitMs}, 409
   * {@code in-progress} with {@code Retry-After}: not an answer yet, so ask again with the same key.
   */
  private static boolean stillInProgress(Session session) {
    return session.getInt(STATUS) == 409 && "/problems/in-progress".equals(session.getString("problemType"));
  }

  static ChainBuilder myOrders() {
    return untilServed("order history", List.of(200), false, http("order history").get("/api/v1/orders?limit=10")
        .header("Authorization", "Bearer #{" + TOKEN + "}"));
  }

  static ChainBuilder myOrder() {
    return untilServed("order", List.of(200), false, http("order").get("/api/v1/orders/#{orderId}")
        .header("Authorization", "Bearer #{" + TOKEN + "}")
        .checkIf((response, session) -> response.status().code() == 200).then(jmesPath("id").isEL("#{orderId}")));
  }

  // ---- shedding

  /**
   * Sends {@code request} until the store answers one of {@code answers}, or anything but a shed answer: a 429, or a
   * 503 carrying {@code Retry-After} that is not a replayed stored answer (and, when {@code retryLost}, no answer at
   * all) is sent again after the store's
   * {@code Retry-After}, or after a jittered backoff doubling up to 8 s when that is longer, at most
   * {@link #MAX_ATTEMPTS} times. {@code #{status}} is then the last answer (-1: none, or one not expected).
   */
  static ChainBuilder untilServed(String step, List<Integer> answers, boolean retryLost,
      HttpRequestActionBuilder request) {
    return untilServed(step, answers, retryLost, session -> false, request);
  }

  /** As above, also sending the request again while {@code stillPending} holds for an answer. */
  static ChainBuilder untilServed(String step, List<Integer> answers, boolean retryLost,
      Function<Session, Boolean> stillPending, HttpRequestActionBuilder request) {
    Integer[] accepted = IntStream.concat(answers.stream().mapToInt(Integer::intValue), IntStream.of(429, 503))
        .boxed().toArray(Integer[]::new);
    HttpRequestActionBuilder checked = request.check(
        status().saveAs(RAW_STATUS),
        status().in(Arrays.asList(accepted)).saveAs(STATUS),
        header("Retry-After").optional().saveAs(RETRY_AFTER),
        header("Idempotent-Replayed").optional().saveAs(REPLAYED));
    return exec(session -> session.set(ATTEMPT, 0))
        .asLongAs(session -> session.getInt(ATTEMPT) == 0 || retry(session, retryLost, stillPending)).on(
            exec(session -> session.set(ATTEMPT, session.getInt(ATTEMPT) + 1)
                .set(STATUS, -1).removeAll(RAW_STATUS, RETRY_AFTER, REPLAYED, "problemType")),
            exec(checked),
            exec(session -> {
              Tally.count(step, !session.contains(RAW_STATUS) ? "none"
                  : session.getInt(RAW_STATUS) + (session.contains(REPLAYED) ? "_replayed"
                  : stillPending.apply(session) ? "_in_progress" : ""));
              return session;
            }),
            doIf(session -> retry(session, retryLost, stillPending)).then(pause(Shop::backoff)))
        .exec(session -> {
          if (shed(session, retryLost, stillPending)) {
            Tally.count(step, "gave_up");
          }
          return session;
        });
  }

  private static boolean shed(Session session, boolean retryLost, Function<Session, Boolean> stillPending) {
    int status = session.getInt(STATUS);
    return status == 429 || (status == 503 && session.contains(RETRY_AFTER) && !session.contains(REPLAYED))
        || (retryLost && !session.contains(RAW_STATUS)) || stillPending.apply(session);
  }

  private static boolean retry(Session session, boolean retryLost, Function<Session, Boolean> stillPending) {
    return shed(session, retryLost, stillPending) && session.getInt(ATTEMPT) < MAX_ATTEMPTS;
  }

  private static Duration backoff(Session session) {
    long step = Math.min(MAX_BACKOFF.toMillis(),
        FIRST_BACKOFF.toMillis() << Math.min(10, session.getInt(ATTEMPT) - 1));
    long told = session.contains(RETRY_AFTER) ? seconds(session.getString(RETRY_AFTER)) * 1000 : 0;
    long wait = Math.max(told, step);
    return Duration.ofMillis(wait + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
  }

  private static long seconds(String retryAfter) {
    try {
      return Math.max(0, Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  static boolean isIn(Session session, int... statuses) {
    int status = session.getInt(STATUS);
    return Arrays.stream(statuses).anyMatch(s -> s == status);
  }
}
