package io.webstore.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stressPeakUsers;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A flash sale: an admin logs in and arms a sale of UNITS units (default 100) of a new SKU, and USERS buyers
 * (default 2,000) sign up beforehand at a sane pace ({@code -DsignUpsPerSecond=}, default 25). Then the drop: all of
 * them arrive within DURATION seconds (default 10, a stress peak), open the product page, log in, add one unit and
 * check out with an Idempotency-Key, each step sent again while the store sheds it (503 with Retry-After, 429),
 * the checkout with the same key. Afterwards, through the admin API, the run checks that the orders placed for the SKU are the units sold,
 * at most UNITS, that no hold remains and that the stock left matches ({@code available} = 0 when sold out), and
 * fails otherwise.
 */
public class FlashSale extends Simulation {

  private final LoadSettings settings = LoadSettings.read(2000, 10);
  /**
   * A drop is a deliberate overload (shed by design), so its p99 limits only catch what the store's own bounds should
   * prevent: a checkout waits at most {@code checkout.replayWaitMs} (8 s) for an answer in flight and no request
   * outlives {@code http.requestTimeoutMs} (10 s). Its correctness is the check after the drop.
   */
  private final Limits limits = Limits.read(3000, 15000, 15000);
  private final int units = LoadSettings.number("units", 100);
  private final String runId = Shop.runId();
  private final String sku = "FLASH-" + runId.toUpperCase();
  private final String saleId = "flash-" + runId;
  /** How long the check waits for open checkouts to settle (a checkout's lease, then recovery). */
  private final Duration settleTimeout = Duration.ofSeconds(LoadSettings.number("settleSeconds", 90));

  /** Sign-ups per second before the drop; the default suits a 2-core laptop's Argon2 pool. */
  private final int signUpsPerSecond = LoadSettings.number("signUpsPerSecond", 25);
  private final AtomicInteger accountsStarted = new AtomicInteger();
  private final AtomicInteger buyersArrived = new AtomicInteger();
  private final AtomicReference<String> adminToken = new AtomicReference<>();
  private final AtomicReference<Instant> armedAt = new AtomicReference<>();
  /** Orders the buyers were answered 201 for: each must be among the orders the admin API lists. */
  private final Set<String> ordersSeen = ConcurrentHashMap.newKeySet();

  private String bearer(Session session) {
    return "Bearer " + session.getString(Shop.TOKEN);
  }

  private final ScenarioBuilder arm = scenario("Arm the sale")
      .exec(session -> session.set("email", settings.adminEmail()))
      .exec(group("admin").on(Shop.logIn("admin log in", settings.adminPassword())))
      .exec(CoreChains.crashIf("the admin could not log in: pass the store's WEBSTORE_ADMIN_PASSWORD as "
          + "ADMIN_PASSWORD", session -> !session.contains(Shop.TOKEN)))
      .exec(group("admin").on(
          exec(http("put product").put("/api/v1/admin/products/" + sku)
                  .header("Authorization", this::bearer)
                  .body(StringBody("{\"name\":\"Flash sale " + runId + "\",\"description\":\"Load test drop\","
                      + "\"price\":{\"amount\":\"49.99\",\"currency\":\"USD\"},\"category\":\"flash-sale\"}"))
                  .check(status().in(200, 201), jmesPath("updated_at").saveAs("productUpdatedAt")))
              .exec(http("put stock").put("/api/v1/admin/inventory/" + sku)
                  .header("Authorization", this::bearer)
                  .body(StringBody("{\"on_hand\":" + units + "}"))
                  .check(status().is(200), jmesPath("available").ofInt().is(units)))
              .exec(http("put sale").put("/api/v1/admin/sales/" + saleId)
                  .header("Authorization", this::bearer)
                  .body(StringBody(session -> "{\"sku\":\"" + sku + "\",\"price\":{\"amount\":\"19.99\","
                      + "\"currency\":\"USD\"},\"starts_at\":\"" + Instant.now().minusSeconds(60)
                      + "\",\"ends_at\":\"" + Instant.now().plus(Duration.ofHours(2))
                      + "\",\"per_customer_limit\":1}"))
                  .check(status().is(200), jmesPath("active").ofBoolean().is(true)))))
      .exec(CoreChains.crashIf("the sale could not be armed (see the failed requests above)", Session::isFailed))
      .exec(session -> {
        adminToken.set(session.getString(Shop.TOKEN));
        armedAt.set(Instant.parse(session.getString("productUpdatedAt")));
        System.out.println("FlashSale: armed " + units + " units of " + sku + " (sale " + saleId + ")");
        return session;
      });

  /**
   * The buyers' accounts, made before the drop at a pace the password hashing pool can take (as a store's customers
   * have signed up over weeks); a sign-up the store sheds all the same is sent again. The drop itself is log-ins.
   */
  private final ScenarioBuilder accounts = scenario("Accounts")
      .exec(session -> session.set("email", Shop.email(runId, accountsStarted.incrementAndGet())))
      .exec(group("account").on(Shop.signUp()));

  private final ScenarioBuilder buyers = scenario("Buyers")
      .exec(session -> session.set("sku", sku).set("email", Shop.email(runId, buyersArrived.incrementAndGet())))
      .exec(group("drop").on(Shop.productPage(false)))
      .exec(group("account").on(Shop.logIn("log in", Shop.PASSWORD)))
      .exitHereIf(session -> !session.contains(Shop.TOKEN))
      // The add carries an Idempotency-Key: one answered 503 (the store's call timed out) may still have landed, and
      // its resend with the same key answers the cart instead of passing the sale's limit of one.
      .exec(group("cart").on(Shop.addToCart(false, List.of(200, 409))))
      .exitHereIf(session -> session.getInt(Shop.STATUS) != 200) // sold out (409) or given up
      .exec(group("checkout").on(Shop.checkout()))
      .exec(session -> {
        if (session.contains("orderId")) {
          ordersSeen.add(session.getString("orderId"));
        }
        return session;
      });

  private HttpRequestActionBuilder stock(String name) {
    return http(name).get("/api/v1/admin/inventory/" + sku)
        .header("Authorization", this::bearer)
        .check(status().is(200), jmesPath("held").ofInt().saveAs("held"));
  }

  private final ScenarioBuilder verify = scenario("Check the sale")
      .exec(session -> session.set(Shop.TOKEN, adminToken.get())
          .set("settleBy", System.nanoTime() + settleTimeout.toNanos())
          .set("orderIds", new HashSet<String>()).set("unitsOrdered", 0).set("morePages", true))
      .exec(group("verify").on(
          // open checkouts first settle: each within its lease, or recovery finishes or compensates it
          exec(stock("stock"))
              .asLongAs(session -> session.getInt("held") > 0 && System.nanoTime() < session.getLong("settleBy"))
              .on(pause(Duration.ofSeconds(1)).exec(stock("stock")))
              // every placed order that holds the SKU, newest first, back to when the SKU was created
              .asLongAs(session -> session.getBoolean("morePages")).on(
                  exec(session -> session.remove("nextCursor"))
                      .exec(http("placed orders").get(session -> "/api/v1/admin/orders?status=placed&limit=100"
                              + (session.contains("cursor") ? "&cursor=" + session.getString("cursor") : ""))
                          .header("Authorization", this::bearer)
                          .check(status().is(200),
                              jmesPath("items[?lines[?sku=='" + sku + "']].id").ofList().saveAs("pageIds"),
                              jmesPath("items[].lines[] | [?sku=='" + sku + "'].quantity").ofList()
                                  .saveAs("pageUnits"),
                              jmesPath("items[-1].created_at").optional().saveAs("oldest"),
                              jmesPath("next_cursor").optional().saveAs("nextCursor")))
                      .exec(this::addPage))
              .exec(http("stock matches orders").get("/api/v1/admin/inventory/" + sku)
                  .header("Authorization", this::bearer)
                  .check(status().is(200),
                      jmesPath("held").ofInt().is(0),
                      jmesPath("on_hand").ofInt().validate("orders placed = units sold <= " + units,
                          this::unitsSoldMatchOrders),
                      jmesPath("available").ofInt().validate("available = units left",
                          (available, session) -> expect(available == units - session.getInt("unitsOrdered"),
                              available, "available " + available + " but " + units + " armed and "
                                  + session.getInt("unitsOrdered") + " ordered"))))));

  private Session addPage(Session session) {
    Set<String> ids = new HashSet<>(session.<String>getSet("orderIds"));
    session.<Object>getList("pageIds").forEach(id -> ids.add(id.toString()));
    int unitsOrdered = session.getInt("unitsOrdered")
        + session.<Object>getList("pageUnits").stream().mapToInt(q -> ((Number) q).intValue()).sum();
    boolean older = session.contains("oldest")
        && Instant.parse(session.getString("oldest")).isBefore(armedAt.get());
    boolean more = session.contains("nextCursor") && !older;
    Session next = session.set("orderIds", ids).set("unitsOrdered", unitsOrdered).set("morePages", more);
    return more ? next.set("cursor", session.getString("nextCursor")) : next.remove("cursor");
  }

  private Integer unitsSoldMatchOrders(Integer onHand, Session session) {
    Set<String> orderIds = session.getSet("orderIds");
    int unitsOrdered = session.getInt("unitsOrdered");
    int sold = units - onHand;
    Set<String> lost = new HashSet<>(ordersSeen);
    lost.removeAll(orderIds);
    Set<String> unseen = new HashSet<>(orderIds);
    unseen.removeAll(ordersSeen);
    System.out.printf("FlashSale check: armed %d, sold %d (on hand %d), orders %d holding %d units,"
        + " buyers answered 201: %d%n", units, sold, onHand, orderIds.size(), unitsOrdered, ordersSeen.size());
    if (!unseen.isEmpty()) { // settled after the buyer stopped asking (recovery), or answered otherwise: worth a look
      System.out.println("FlashSale check: " + unseen.size() + " orders placed whose buyer saw no 201, e.g. "
          + unseen.stream().limit(5).toList());
    }
    expect(sold == unitsOrdered, onHand, "units sold " + sold + " but " + unitsOrdered + " units in orders");
    expect(orderIds.size() == unitsOrdered, onHand,
        orderIds.size() + " orders hold " + unitsOrdered + " units (one each expected)");
    expect(unitsOrdered <= units, onHand, unitsOrdered + " units ordered of " + units + " armed: oversold");
    expect(lost.isEmpty(), onHand, lost.size() + " orders answered 201 are not listed, e.g. " + lost.stream()
        .limit(3).toList());
    return onHand;
  }

  private static <T> T expect(boolean holds, T value, String otherwise) {
    if (!holds) {
      throw new IllegalStateException(otherwise);
    }
    return value;
  }

  {
    System.out.println("FlashSale: " + settings + " units=" + units + " " + limits);
    Duration signUps = Duration.ofMillis(Math.max(1, 1000L * settings.users() / signUpsPerSecond));
    setUp(arm.injectOpen(atOnceUsers(1))
        .andThen(accounts.injectOpen(rampUsers(settings.users()).during(signUps))
            .andThen(buyers.injectOpen(stressPeakUsers(settings.users()).during(settings.duration()))
                .andThen(verify.injectOpen(atOnceUsers(1))))))
        .protocols(Shop.protocol(settings))
        .assertions(
            details("admin").failedRequests().count().is(0L),
            details("verify").failedRequests().count().is(0L),
            details("drop").failedRequests().percent().lte(1.0),
            details("account").failedRequests().percent().lte(1.0),
            details("cart").failedRequests().percent().lte(1.0),
            details("checkout").failedRequests().percent().lte(1.0),
            global().failedRequests().percent().lte(1.0),
            details("drop", "product").responseTime().percentile(99.0).lt(limits.readMs()),
            details("account", "log in").responseTime().percentile(99.0).lt(limits.authMs()),
            details("cart", "add to cart").responseTime().percentile(99.0).lt(limits.writeMs()),
            details("checkout", "checkout").responseTime().percentile(99.0).lt(limits.writeMs()));
  }

  @Override
  public void after() {
    System.out.println(Tally.report("FlashSale"));
    System.out.printf("FlashSale: %d buyers; checkouts answered 201: %d; sold out at add (409): %d;"
            + " gave up at product page %d, sign-up %d, log-in %d, add %d, checkout %d%n",
        settings.users(), ordersSeen.size(), Tally.get("add to cart", "409"), Tally.get("product", "gave_up"),
        Tally.get("sign up", "gave_up"), Tally.get("log in", "gave_up"), Tally.get("add to cart", "gave_up"),
        Tally.get("checkout", "gave_up"));
  }
}
