package io.webstore.cart;

import static io.webstore.cart.CartFixtures.CART;
import static io.webstore.cart.CartFixtures.ITEMS;
import static io.webstore.cart.CartFixtures.add;
import static io.webstore.cart.CartFixtures.call;
import static io.webstore.cart.CartFixtures.customerToken;
import static io.webstore.cart.CartFixtures.line;
import static io.webstore.cart.CartFixtures.none;
import static io.webstore.cart.CartFixtures.ok;
import static io.webstore.cart.CartFixtures.product;
import static io.webstore.cart.CartFixtures.sessionHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.DynamoCallCounter;
import io.webstore.testing.DynamoCallCounter.Recording;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an add into an existing cart and a read of a guest cart cost, counted where the calls leave the store:
 * DynamoDB calls at the SDK ({@link DynamoCallCounter}, tables of this test's own prefix), Redis round trips by the
 * meters of their callers (the stock ledger's script calls, the rate limiter's decisions) and requests on the event
 * bus by address. The store keeps carts for a minute here ({@code cart.cacheTtlMs}), so that a slow machine does not
 * turn a kept cart into a read; what a cart not kept costs is the one read more that {@code CartHttpTest} sees. It
 * remembers sold-out SKUs for a minute too ({@code cart.soldOutMemoryMs}), for the same reason; a second store with
 * that memory off shows what each sold-out add costs without it.
 */
@WebstoreTest
class CartCallBudgetTest {

  static final int ADDS = 8;

  static String prefix;
  static WebStore store;
  static Api api;
  static String forgetfulPrefix;
  static WebStore forgetful;
  static Api forgetfulApi;

  @BeforeAll
  static void start(Stores stores) {
    prefix = DynamoCallCounter.uniquePrefix("cb");
    store = stores.start(DynamoCallCounter.quietStore(prefix)
        .put("cart", new JsonObject().put("cacheTtlMs", 60_000).put("soldOutMemoryMs", 60_000)));
    api = stores.api(store);
    forgetfulPrefix = DynamoCallCounter.uniquePrefix("cbf");
    forgetful = stores.start(DynamoCallCounter.quietStore(forgetfulPrefix)
        .put("cart", new JsonObject().put("cacheTtlMs", 60_000).put("soldOutMemoryMs", 0)));
    forgetfulApi = stores.api(forgetful);
  }

  @Test
  void anAddIntoAnExistingCartCostsOneDynamoDbWriteOneLedgerCallAndOneCartRequest() {
    List<String> skus = List.of(
        product(api, "budget", "Budget mug", "4.00", "USD", 100),
        product(api, "budget", "Budget cup", "3.00", "USD", 100));
    String sid = call(api, HttpMethod.GET, CART, null, none(), null).getHeader("X-Session-Id");
    String token = customerToken(api, "budget-" + UUID.randomUUID());
    ok(call(api, HttpMethod.POST, ITEMS, null, sessionHeader(sid), add(skus.get(0), 1)));
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(skus.get(0), 1)));

    for (Owner owner : List.of(new Owner("guest", null, sessionHeader(sid)), new Owner("customer", token, none()))) {
      try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix);
          BusRequests bus = new BusRequests(store.services().vertx().eventBus())) {
        double ledger = ledgerReads();
        double limiter = decisions();
        JsonObject cart = null;
        for (int i = 0; i < ADDS; i++) {
          cart = ok(call(api, HttpMethod.POST, ITEMS, owner.token(), owner.headers(), add(skus.get(i % 2), 1)));
        }
        assertThat(line(cart, skus.get(0)).getInteger("quantity")).isEqualTo(1 + ADDS / 2);
        assertThat(line(cart, skus.get(1)).getInteger("quantity")).isEqualTo(ADDS / 2);
        double ledgerCalls = ledgerReads() - ledger;
        double limiterCalls = decisions() - limiter;
        System.out.printf("cart.budget.add owner=%s adds=%d dynamo=%s redis_ledger=%.0f redis_ratelimit=%.0f bus=%s%n",
            owner.kind(), ADDS, calls.calls(), ledgerCalls, limiterCalls, bus.counts());
        assertThat(calls.calls()).as("DynamoDB calls of %d adds (%s)", ADDS, owner.kind()).hasSize(ADDS)
            .allSatisfy(one -> {
              assertThat(one.operation()).isIn("PutItem", "UpdateItem");
              assertThat(one.tables()).containsExactly(prefix + "carts");
            });
        // one ledger script call per add, made on the HTTP verticle's loop before cart.add is sent (the units read go
        // with it); the ledger's own meter also counts the reads its low-stock alerts make, at most two flushes after
        // the products' stock was set (not an add's cost)
        assertThat(ledgerCalls).as("stock ledger reads of %d adds, alerts' flushes included", ADDS)
            .isBetween((double) ADDS, ADDS + 2.0);
        assertThat(bus.count("cart.add")).as("requests to the cart verticle of %d adds", ADDS).isEqualTo(ADDS);
        // the ledger and the catalog run in this process: read on the caller's loop, not through their addresses
        assertThat(bus.count("inventory.availability")).as("availability requests of %d adds", ADDS).isZero();
        assertThat(bus.count("catalog.price")).as("quote requests of %d adds", ADDS).isZero();
        assertThat(bus.count("cart.session")).as("session lookups of %d adds", ADDS).isZero();
      }
    }
  }

  @Test
  void aReadOfAKeptGuestCartCostsNoDynamoDbCallAndNoBusRequest() {
    String sku = product(api, "budget", "Budget plate", "6.00", "USD", 100);
    String sid = call(api, HttpMethod.GET, CART, null, none(), null).getHeader("X-Session-Id");
    MultiMap guest = sessionHeader(sid);
    ok(call(api, HttpMethod.POST, ITEMS, null, guest, add(sku, 2)));

    try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix);
        BusRequests bus = new BusRequests(store.services().vertx().eventBus())) {
      for (int i = 0; i < ADDS; i++) {
        assertThat(line(ok(call(api, HttpMethod.GET, CART, null, guest, null)), sku).getInteger("quantity"))
            .isEqualTo(2);
      }
      System.out.printf("cart.budget.read reads=%d dynamo=%s bus=%s%n", ADDS, calls.calls(), bus.counts());
      assertThat(calls.calls()).as("DynamoDB calls of %d reads", ADDS).isEmpty();
      // a kept cart is read and priced on the HTTP verticle's loop: no request to the cart or the catalog
      assertThat(bus.count("cart.get")).as("requests to the cart verticle of %d reads", ADDS).isZero();
      assertThat(bus.count("catalog.price")).as("quote requests of %d reads", ADDS).isZero();
      assertThat(bus.count("cart.session")).as("session lookups of %d reads", ADDS).isZero();
    }
  }

  @Test
  void aRepeatedSoldOutAddIsAnsweredFromMemoryWithoutALedgerCall() {
    String soldOut = product(api, "budget", "Budget sold-out kettle", "19.00", "USD", 0);
    String sid = call(api, HttpMethod.GET, CART, null, none(), null).getHeader("X-Session-Id");
    MultiMap guest = sessionHeader(sid);
    ok(call(api, HttpMethod.GET, CART, null, guest, null));

    try (Recording calls = DynamoCallCounter.onTablesStartingWith(prefix);
        BusRequests bus = new BusRequests(store.services().vertx().eventBus())) {
      double ledger = ledgerReads(store);
      double remembered = remembered(store);
      JsonObject first = null;
      for (int i = 0; i < ADDS; i++) {
        var refused = call(api, HttpMethod.POST, ITEMS, null, guest, add(soldOut, 1));
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
        assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
        JsonObject problem = refused.bodyAsJsonObject();
        if (first == null) {
          first = problem;
        }
        // the same problem each time, the units read and the SKU as the ledger's answer gave them
        assertThat(problem.copy().put("instance", "")).isEqualTo(first.copy().put("instance", ""));
      }
      assertThat(first.getString("type")).isEqualTo("/problems/out-of-stock");
      assertThat(first.getString("detail")).isEqualTo(soldOut + " is out of stock");
      assertThat(first.getJsonArray("skus").getList()).containsExactly(soldOut);
      double ledgerCalls = ledgerReads(store) - ledger;
      double fromMemory = remembered(store) - remembered;
      System.out.printf("cart.budget.sold_out_remembered adds=%d dynamo=%s redis_ledger=%.0f remembered=%.0f bus=%s%n",
          ADDS, calls.calls(), ledgerCalls, fromMemory, bus.counts());
      assertThat(calls.calls()).as("DynamoDB calls of %d sold-out adds", ADDS).isEmpty();
      // the first add reads the ledger (and the catalog's quote: a 409, not a 404) and the SKU is remembered; every
      // add after it is answered from memory. At most two flushes of the low-stock alerts after the product's stock
      // was set are counted by the ledger's meter too
      assertThat(ledgerCalls).as("stock ledger reads of %d sold-out adds, alerts' flushes included", ADDS)
          .isBetween(1.0, 3.0);
      assertThat(fromMemory).as("sold-out adds answered from memory").isEqualTo(ADDS - 1.0);
      assertThat(bus.count("cart.add")).as("requests to the cart verticle of %d sold-out adds", ADDS).isZero();
      assertThat(bus.count("inventory.availability")).as("availability requests of %d sold-out adds", ADDS).isZero();
      assertThat(bus.count("catalog.price")).as("quote requests of %d sold-out adds", ADDS).isZero();
    }
  }

  @Test
  void anAddOfFewerUnitsThanTheRememberedShortfallReadsTheLedgerAgain() {
    String few = product(api, "budget", "Budget scarce vase", "29.00", "USD", 2);
    String sid = call(api, HttpMethod.GET, CART, null, none(), null).getHeader("X-Session-Id");
    MultiMap guest = sessionHeader(sid);
    ok(call(api, HttpMethod.GET, CART, null, guest, null));

    double remembered = remembered(store);
    JsonObject refused = CartFixtures.problem(call(api, HttpMethod.POST, ITEMS, null, guest, add(few, 3)), 409,
        "out-of-stock");
    assertThat(refused.getString("detail")).isEqualTo("only 2 units of " + few + " are available");
    JsonObject again = CartFixtures.problem(call(api, HttpMethod.POST, ITEMS, null, guest, add(few, 3)), 409,
        "out-of-stock");
    assertThat(again.getString("detail")).isEqualTo(refused.getString("detail"));
    assertThat(remembered(store) - remembered).as("adds answered from memory").isEqualTo(1.0);

    double ledger = ledgerReads(store);
    assertThat(line(ok(call(api, HttpMethod.POST, ITEMS, null, guest, add(few, 2))), few).getInteger("quantity"))
        .isEqualTo(2);
    // one read of the add, and at most two flushes of the low-stock alerts after the stock was set
    assertThat(ledgerReads(store) - ledger).as("ledger reads of an add within the remembered units")
        .isBetween(1.0, 3.0);
    assertThat(remembered(store) - remembered).as("adds answered from memory").isEqualTo(1.0);
  }

  @Test
  void withoutTheSoldOutMemoryASoldOutAddCostsOneLedgerCallAndNoBusRequestOrDynamoDbCall() {
    String soldOut = product(forgetfulApi, "budget", "Budget sold-out lamp", "9.00", "USD", 0);
    String sid = call(forgetfulApi, HttpMethod.GET, CART, null, none(), null).getHeader("X-Session-Id");
    MultiMap guest = sessionHeader(sid);
    ok(call(forgetfulApi, HttpMethod.GET, CART, null, guest, null));

    try (Recording calls = DynamoCallCounter.onTablesStartingWith(forgetfulPrefix);
        BusRequests bus = new BusRequests(forgetful.services().vertx().eventBus())) {
      double ledger = ledgerReads(forgetful);
      for (int i = 0; i < ADDS; i++) {
        var refused = call(forgetfulApi, HttpMethod.POST, ITEMS, null, guest, add(soldOut, 1));
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
        assertThat(refused.bodyAsJsonObject().getString("type")).isEqualTo("/problems/out-of-stock");
      }
      double ledgerCalls = ledgerReads(forgetful) - ledger;
      System.out.printf("cart.budget.sold_out adds=%d dynamo=%s redis_ledger=%.0f bus=%s%n", ADDS, calls.calls(),
          ledgerCalls, bus.counts());
      assertThat(calls.calls()).as("DynamoDB calls of %d sold-out adds", ADDS).isEmpty();
      // answered on the HTTP verticle's loop: the ledger says too few, the catalog's quote says the SKU exists (409,
      // not 404); at most two flushes of the low-stock alerts after the product's stock was set are counted too
      assertThat(ledgerCalls).as("stock ledger reads of %d sold-out adds, alerts' flushes included", ADDS)
          .isBetween((double) ADDS, ADDS + 2.0);
      assertThat(bus.count("cart.add")).as("requests to the cart verticle of %d sold-out adds", ADDS).isZero();
      assertThat(bus.count("inventory.availability")).as("availability requests of %d sold-out adds", ADDS).isZero();
      assertThat(bus.count("catalog.price")).as("quote requests of %d sold-out adds", ADDS).isZero();
      assertThat(forgetful.services().meters().find("webstore.cart.soldout.remembered").counters()).isEmpty();
    }
  }

  private record Owner(String kind, String token, MultiMap headers) {}

  /** The stock ledger's availability reads so far (one script call, one round trip each). */
  private static double ledgerReads() {
    return ledgerReads(store);
  }

  private static double ledgerReads(WebStore of) {
    return of.services().meters().find("webstore.inventory.redis.calls").tag("operation", "availability").timers()
        .stream().mapToLong(Timer::count).sum();
  }

  /** Sold-out adds answered from the store's memory of sold-out SKUs so far. */
  private static double remembered(WebStore of) {
    return of.services().meters().find("webstore.cart.soldout.remembered").counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private static double decisions() {
    return meters().find("webstore.ratelimit.decisions").counters().stream().mapToDouble(Counter::count).sum();
  }

  private static MeterRegistry meters() {
    return store.services().meters();
  }

  /** Counts the requests and publications on the store's event bus (replies aside), by address, while open. */
  private static final class BusRequests implements AutoCloseable {
    private final EventBus bus;
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Handler<DeliveryContext<Object>> counter = delivery -> {
      String address = delivery.message().address();
      if (!address.startsWith("__vertx.reply.")) { // a reply belongs to the request it answers
        sent.computeIfAbsent(address, key -> new LongAdder()).increment();
      }
      delivery.next();
    };

    BusRequests(EventBus bus) {
      this.bus = bus;
      bus.addOutboundInterceptor(counter);
    }

    long count(String address) {
      LongAdder adder = sent.get(address);
      return adder == null ? 0 : adder.sum();
    }

    Map<String, Long> counts() {
      Map<String, Long> counts = new TreeMap<>();
      sent.forEach((address, adder) -> counts.put(address, adder.sum()));
      return counts;
    }

    @Override
    public void close() {
      bus.removeOutboundInterceptor(counter);
    }
  }
}
