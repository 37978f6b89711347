package io.webstore.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.events.EventSchemas;
import io.webstore.platform.events.EventType;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A warehouse recount below the units held, arriving through the supply feed in the middle of a flash sale: buyers
 * check out over HTTP while the count drops; no order gets a unit that is not there.
 */
@WebstoreTest
class InventoryRecountRaceTest {

  private static final int BUYERS = 50;
  /** More units than buyers: nothing sells out before the recount. */
  private static final int UNITS = BUYERS + 10;
  private static final int RECOUNT = 10;

  @Shared static Api api;

  @Test
  void aRecountBelowTheHeldUnitsMidRaceSellsNoUnitThatIsNotThere(Stores stores) {
    CheckoutFixtures fx = new CheckoutFixtures(api);
    InventoryBus bus = new InventoryBus(api.store().vertx());
    String sku = fx.product("recount", "5.00", UNITS);
    WebClient client = stores.client(BUYERS);
    List<Customer> customers = IntStream.range(0, BUYERS).mapToObj(i -> fx.mintedCustomer()).toList();
    List<HttpResponse<Buffer>> added = Engines.await(Future.all(customers.stream()
        .map(customer -> fx.addToCart(client, customer, sku, 1)).toList())).list();
    assertThat(added).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));

    Set<String> soldOut = ConcurrentHashMap.newKeySet();
    MessageConsumer<JsonObject> alerts = api.store().vertx().eventBus().consumer(
        EventType.INVENTORY_SOLD_OUT.address(),
        message -> soldOut.add(EventSchemas.valid(message.body().encode()).getSubject()));
    try {
      AtomicInteger retried = new AtomicInteger();
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      List<Future<HttpResponse<Buffer>>> checkouts = customers.stream()
          .map(customer -> settled(client, customer, CheckoutFixtures.key(), deadline, retried))
          .toList();

      // mid-race: once more units are held than the recount leaves
      JsonObject before = Deadline.until("more than " + RECOUNT + " units held", Duration.ofSeconds(60), () -> {
        JsonObject level = bus.get(sku);
        return level.getInteger("held") > RECOUNT ? level : null;
      });
      int soldBefore = UNITS - before.getInteger("on_hand"); // at least this many were committed before the recount
      assertThat(soldOut).as("available was above 0 until the recount").doesNotContain(sku);
      JsonObject reply = bus.call(InventoryClient.FEED, new JsonObject().put("records", new JsonArray()
          .add(new JsonObject().put("sku", sku).put("warehouse", "WH-DEFAULT").put("on_hand", RECOUNT)
              .put("sequence", 1))));
      assertThat(reply.getJsonArray("outcomes").getJsonObject(0).getString("status")).isEqualTo("applied");

      List<HttpResponse<Buffer>> answers = Engines.await(Future.join(checkouts), Duration.ofMinutes(3)).list();
      int placed = 0;
      for (HttpResponse<Buffer> answer : answers) {
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isIn(201, 409);
        if (answer.statusCode() == 201) {
          placed++;
        } else {
          assertThat(answer.bodyAsJsonObject().getString("type")).isEqualTo("/problems/out-of-stock");
        }
      }

      JsonObject after = bus.get(sku);
      int onHand = after.getInteger("on_hand");
      System.out.printf("inventory.recount_race buyers=%d units=%d recount=%d held_at_recount=%d sold_before>=%d "
          + "placed=%d on_hand_after=%d replays_after_503=%d%n", BUYERS, UNITS, RECOUNT, before.getInteger("held"),
          soldBefore, placed, onHand, retried.get());
      assertThat(onHand).as("on hand never negative").isGreaterThanOrEqualTo(0);
      assertThat(after.getInteger("held")).as("no hold left behind").isZero();
      // every unit sold after the recount came from its 10: placed = sold before + (10 - on hand now)
      assertThat(placed + onHand).isGreaterThanOrEqualTo(soldBefore + RECOUNT).isLessThanOrEqualTo(UNITS);
      assertThat(placed).isLessThanOrEqualTo(BUYERS);
      assertThat(onHand).as("more buyers than units after the recount: all sold").isZero();
      assertThat(after.getInteger("available")).isZero();
      assertThat(bus.available(sku)).isZero();

      List<Map<String, AttributeValue>> orders = fx.ordersOf(customers.stream().map(Customer::id).toList());
      assertThat(orders.stream().filter(order -> !order.get("status").s().equalsIgnoreCase("cancelled")).count())
          .as("orders that stand: exactly the 201s").isEqualTo(placed);
      Deadline.await("the sold-out event of " + sku, Duration.ofSeconds(10), () -> soldOut.contains(sku));
    } finally {
      Engines.await(alerts.unregister());
    }
  }

  /**
   * A checkout as a client makes it: a 503 (the store answers so when a checkout outlives the request timeout on a
   * loaded machine; it goes on and stores its answer) is retried with the same key until the answer is settled.
   */
  private static Future<HttpResponse<Buffer>> settled(WebClient client, Customer customer, String key,
      long deadline, AtomicInteger retried) {
    return CheckoutFixtures.checkout(client, api.port(), customer, key, CheckoutFixtures.body("tok_approve"))
        .compose(answer -> {
          if (answer.statusCode() != 503 || System.nanoTime() > deadline) {
            return Future.succeededFuture(answer);
          }
          retried.incrementAndGet();
          return api.store().vertx().timer(250, TimeUnit.MILLISECONDS)
              .compose(waited -> settled(client, customer, key, deadline, retried));
        });
  }
}
