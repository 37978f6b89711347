package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFaults.Step;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.ChildStore;
import io.webstore.testing.ContractCheck;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Real crashes: a store in its own JVM ({@link CrashingStoreMain}) stops dead at each fault step of a checkout ({@code
 * checkout.faultStep}, see {@link CheckoutFaults}) and is
 * killed with SIGKILL; a new store started on the same engines settles every unfinished checkout whose lease has ended
 * at start, by itself (its periodic recovery is an hour away and nobody asks it). A checkout whose lease is still live
 * is left alone; one whose hold expired before recovery ends as an abandoned order, payment voided, stock intact.
 *
 * <p>Every store here uses tables of its own (a unique prefix): the shared store of this JVM runs its own periodic
 * recovery and would otherwise settle these checkouts first.
 */
@WebstoreTest
class CheckoutKillRecoveryTest {

  private static final String PASSWORD = "Recovery-password-1";

  /** One checkout to be interrupted: its product, buyer and key. */
  private record Case(String sku, String email, Customer customer, String key) {
    CheckoutIds ids() {
      return CheckoutIds.of(customer.id(), key);
    }
  }

  @Test
  void aRestartedStoreSettlesEveryUnfinishedCheckoutAtStartAndLeavesLiveLeasesAlone(Stores stores) throws Exception {
    String prefix = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "-";
    JsonObject tables = new JsonObject().put("dynamo", new JsonObject().put("tablePrefix", prefix));
    Api api = stores.api(stores.start(tables.copy()
        .put("checkout", new JsonObject().put("recoveryEnabled", false))));
    CheckoutFixtures fx = new CheckoutFixtures(api);
    List<ChildStore> children = new ArrayList<>();
    try {
      Map<Step, Case> killed = new EnumMap<>(Step.class);
      for (Step step : Step.values()) {
        killed.put(step, newCase(api, fx, "kill-" + step.name().toLowerCase()));
      }
      Case live = newCase(api, fx, "live");
      Case expired = newCase(api, fx, "expired");

      // one child JVM per fault step, started together; each dies at its step and is then SIGKILLed
      Map<String, String> childEnv = childEnv(prefix);
      Map<Step, ChildStore> crashing = new EnumMap<>(Step.class);
      for (Step step : Step.values()) {
        Map<String, String> env = new HashMap<>(childEnv);
        env.put("WEBSTORE_CHECKOUT_FAULT_STEP", step.name());
        env.put("WEBSTORE_CHECKOUT_LEASE_MS", "1500");
        env.put("WEBSTORE_CHECKOUT_RECOVERY_ENABLED", "false");
        ChildStore child = ChildStore.start(env, CrashingStoreMain.class.getName());
        children.add(child);
        crashing.put(step, child);
      }
      for (Step step : Step.values()) {
        ChildStore child = crashing.get(step);
        child.awaitLine("webstore.ready", Duration.ofSeconds(120));
        Case c = killed.get(step);
        HttpResponse<Buffer> died = checkoutOn(child, c);
        assertThat(died.statusCode()).as(died.bodyAsString()).isEqualTo(503);
        assertThat(died.bodyAsJsonObject().getString("detail")).contains(step.name());
        child.process().destroyForcibly(); // SIGKILL
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(fx.idempotency(c.customer().id(), c.key())).as("left unfinished by " + step)
            .containsKey("pending");
      }

      // a checkout whose lease is still live (its store is gone, but the lease runs for ten minutes)
      interrupt(tables, Step.AFTER_PAYMENT, 600_000, live);
      // a checkout that died after writing its order, whose hold then expired before any recovery ran
      interrupt(tables.copy().put("checkout", new JsonObject().put("holdTtlSeconds", 10)), Step.AFTER_ORDER_WRITE,
          1_500, expired);
      Deadline.await("the interrupted checkout's hold expired and its units returned", Duration.ofSeconds(60),
          () -> fx.inventory(expired.sku()).getInteger("held") == 0);
      assertThat(fx.inventory(expired.sku()).getInteger("available")).isEqualTo(10);
      Map<String, AttributeValue> liveBefore = fx.idempotency(live.customer().id(), live.key());

      // the restart: recovery's period is an hour, so only the pass at start can settle anything
      Map<String, String> env = new HashMap<>(childEnv);
      env.put("WEBSTORE_CHECKOUT_RECOVERY_INTERVAL_MS", "3600000");
      ChildStore restarted = ChildStore.start(env);
      children.add(restarted);
      restarted.awaitLine("webstore.ready", Duration.ofSeconds(120));
      for (Case c : List.of(killed.get(Step.AFTER_HOLD), killed.get(Step.AFTER_PAYMENT),
          killed.get(Step.AFTER_ORDER_WRITE), killed.get(Step.AFTER_STOCK_COMMIT), expired)) {
        restarted.awaitLine("checkout.recovery.settled checkout=" + c.ids().orderId(), Duration.ofSeconds(60));
        assertThat(fx.idempotency(c.customer().id(), c.key())).doesNotContainKey("pending");
      }
      restarted.awaitLine("checkout.recovery.pass", Duration.ofSeconds(30));
      System.out.println("checkout.kill_recovery " + restarted.awaitLine("checkout.recovery.pass",
          Duration.ofSeconds(1)));

      for (Step step : Step.values()) {
        Case c = killed.get(step);
        boolean orderWritten = step == Step.AFTER_ORDER_WRITE || step == Step.AFTER_STOCK_COMMIT;
        HttpResponse<Buffer> replay = fx.checkout(c.customer(), c.key(), CheckoutFixtures.body("tok_approve"));
        assertThat(replay.getHeader("Idempotent-Replayed")).isEqualTo("true");
        JsonObject stock = fx.inventory(c.sku());
        assertThat(stock.getInteger("held")).as(step + ": no hold left").isZero();
        String payment = fx.payment(c.customer().id(), c.key()).getOrDefault("status", AttributeValue.fromS("none"))
            .s();
        HttpResponse<Buffer> order = api.get("/api/v1/orders/" + c.ids().orderId(), c.customer().token());
        if (orderWritten) {
          assertThat(replay.statusCode()).as(step + " " + replay.bodyAsString()).isEqualTo(201);
          assertThat(order.bodyAsJsonObject().getString("status")).isEqualTo("placed");
          assertThat(stock.getInteger("on_hand")).as(step + ": committed").isEqualTo(8);
          assertThat(payment).isEqualTo("authorized");
        } else {
          assertThat(replay.statusCode()).as(step + " " + replay.bodyAsString()).isEqualTo(503);
          assertThat(order.statusCode()).isEqualTo(404);
          assertThat(stock.getInteger("on_hand")).as(step + ": intact").isEqualTo(10);
          assertThat(stock.getInteger("available")).isEqualTo(10);
          assertThat(payment).as(step + ": no charge").isIn("voided", "none");
        }
      }

      // the expired hold: the order is abandoned, nothing charged, the stock untouched
      HttpResponse<Buffer> abandoned = fx.checkout(expired.customer(), expired.key(),
          CheckoutFixtures.body("tok_approve"));
      assertThat(abandoned.statusCode()).as(abandoned.bodyAsString()).isEqualTo(409);
      assertThat(abandoned.bodyAsJsonObject().getString("type")).isEqualTo("/problems/out-of-stock");
      assertThat(api.get("/api/v1/orders/" + expired.ids().orderId(), expired.customer().token()).bodyAsJsonObject()
          .getString("status")).isEqualTo("cancelled");
      Deadline.await("the abandoned order's payment voided", Duration.ofSeconds(30),
          () -> "voided".equals(fx.payment(expired.customer().id(), expired.key()).get("status").s()));
      JsonObject stock = fx.inventory(expired.sku());
      assertThat(stock.getInteger("on_hand")).isEqualTo(10);
      assertThat(stock.getInteger("held")).isZero();
      assertThat(stock.getInteger("available")).isEqualTo(10);

      // the live lease: untouched by the restarted store
      Map<String, AttributeValue> liveAfter = fx.idempotency(live.customer().id(), live.key());
      assertThat(liveAfter).containsKey("pending");
      assertThat(liveAfter.get("lease_owner")).isEqualTo(liveBefore.get("lease_owner"));
      assertThat(liveAfter.get("attempts")).isEqualTo(liveBefore.get("attempts"));
      assertThat(String.join("\n", restarted.lines())).doesNotContain(live.ids().orderId());
      assertThat(fx.inventory(live.sku()).getInteger("held")).as("the live checkout still holds its units")
          .isEqualTo(2);
    } finally {
      children.forEach(ChildStore::close);
    }
  }

  private static Map<String, String> childEnv(String prefix) {
    return Map.of("WEBSTORE_DYNAMO_TABLE_PREFIX", prefix,
        "WEBSTORE_HTTP_ACCESS_LOG", "false",
        "WEBSTORE_AWS_ATTEMPT_TIMEOUT_MS", "5000",
        "WEBSTORE_AWS_API_CALL_TIMEOUT_MS", "15000",
        "WEBSTORE_REDIS_COMMAND_TIMEOUT_MS", "5000");
  }

  /** A product with 10 units and a buyer (signed up, so any store can log them in) with 2 of them in the cart. */
  private static Case newCase(Api api, CheckoutFixtures fx, String name) {
    String sku = fx.product(name, "11.00", 10);
    String email = name + "-" + UUID.randomUUID() + "@example.com";
    HttpResponse<Buffer> signUp = api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", PASSWORD));
    assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);
    String id = signUp.bodyAsJsonObject().getString("id");
    Customer customer = new Customer(id, api.tokenFor(id, email, List.of()));
    fx.addToCart(customer, sku, 2);
    return new Case(sku, email, customer, CheckoutFixtures.key());
  }

  /** Logs the buyer in on the child (each store signs with its own key) and checks out there. */
  private static HttpResponse<Buffer> checkoutOn(ChildStore child, Case c) {
    Vertx vertx = Vertx.vertx();
    try {
      WebClient client = ContractCheck.client(vertx);
      HttpResponse<Buffer> login = Engines.await(client.post(child.port(), "localhost", "/api/v1/auth/login")
          .sendJsonObject(new JsonObject().put("email", c.email()).put("password", PASSWORD)));
      assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
      Customer there = new Customer(c.customer().id(), login.bodyAsJsonObject().getString("access_token"));
      return Engines.await(CheckoutFixtures.checkout(client, child.port(), there, c.key(),
          CheckoutFixtures.body("tok_approve")));
    } finally {
      Engines.await(vertx.close());
    }
  }

  /** Runs the case's checkout on an in-JVM store armed to stop dead at {@code step}, then stops that store. */
  private static void interrupt(JsonObject overrides, Step step, int leaseMs, Case c) {
    JsonObject checkout = overrides.getJsonObject("checkout", new JsonObject()).copy()
        .put("faultStep", step.name()).put("leaseMs", leaseMs).put("recoveryEnabled", false);
    WebStore store = CheckoutFaults.startStore(overrides.copy().put("checkout", checkout));
    try (Api there = new Api(store)) {
      Customer customer = new Customer(c.customer().id(), there.tokenFor(c.customer().id(), c.email(), List.of()));
      HttpResponse<Buffer> died = Engines.await(CheckoutFixtures.checkout(there.client(), there.port(), customer,
          c.key(), CheckoutFixtures.body("tok_approve")));
      assertThat(died.statusCode()).as(died.bodyAsString()).isEqualTo(503);
    } finally {
      Engines.await(store.stop());
    }
  }
}
