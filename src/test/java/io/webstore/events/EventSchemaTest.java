package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.platform.events.EventType;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every event the store produces is a CloudEvent whose data matches its type's schema under
 * {@code src/main/resources/events/}: the events of a sign-up, a consent change, an order placed, paid, moved on and
 * of an order cancelled, as the local event bus carries them (the same events the outbox holds).
 */
@WebstoreTest
class EventSchemaTest {

  @Shared static Api api;

  @Test
  void everyEventOfAnOrdersAndACustomersLifeMatchesItsSchema() {
    WebStore store = api.store();
    Map<String, List<String>> seen = new ConcurrentHashMap<>();
    List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    for (EventType type : EventType.values()) {
      consumers.add(store.vertx().eventBus().<JsonObject>consumer(type.address(), message ->
          seen.computeIfAbsent(message.body().getString("subject"), subject -> new ArrayList<>())
              .add(message.body().encode())));
    }
    try {
      CheckoutFixtures fixtures = new CheckoutFixtures(api);
      CheckoutFixtures.Customer buyer = fixtures.signedUpCustomer();
      assertThat(api.call(HttpMethod.PATCH, "/api/v1/customers/me", buyer.token(), new JsonObject()
          .put("consents", new JsonObject().put("marketing_email", true))).statusCode()).isEqualTo(200);
      String sku = fixtures.product("EVT", "12.50", 10);
      String shipped = order(fixtures, buyer, sku);
      for (String status : List.of("paid", "fulfilling", "shipped")) {
        assertThat(api.call(HttpMethod.POST, "/api/v1/admin/orders/" + shipped + "/status", fixtures.admin(),
            new JsonObject().put("status", status)).statusCode()).isEqualTo(200);
      }
      String cancelled = order(fixtures, buyer, sku);
      assertThat(api.call(HttpMethod.POST, "/api/v1/orders/" + cancelled + "/cancel", buyer.token(), null)
          .statusCode()).isEqualTo(200);

      Deadline.await("the events of the customer and both orders", Duration.ofSeconds(30), () ->
          seen.getOrDefault(buyer.id(), List.of()).size() == 2
              && seen.getOrDefault(shipped, List.of()).size() == 4
              && seen.getOrDefault(cancelled, List.of()).size() == 2);
      assertThat(types(seen.get(buyer.id()))).containsExactly("webstore.customer.signed-up",
          "webstore.customer.consent-changed");
      assertThat(types(seen.get(shipped))).containsExactly("webstore.order.placed", "webstore.order.paid",
          "webstore.order.status-changed", "webstore.order.status-changed");
      assertThat(types(seen.get(cancelled))).containsExactly("webstore.order.placed", "webstore.order.cancelled");
      JsonObject consent = new JsonObject(seen.get(buyer.id()).get(1)).getJsonObject("data");
      assertThat(consent.getJsonObject("before").getBoolean("marketing_email")).isFalse();
      assertThat(consent.getJsonObject("after").getBoolean("marketing_email")).isTrue();
      Set<String> ids = seen.values().stream().flatMap(List::stream)
          .map(json -> new JsonObject(json).getString("id")).collect(Collectors.toSet());
      assertThat(ids).hasSize(8);
    } finally {
      consumers.forEach(consumer -> Engines.await(consumer.unregister()));
    }
  }

  private static List<String> types(List<String> events) {
    return events.stream().map(EventSchemas::valid).map(event -> event.getType()).toList();
  }

  private static String order(CheckoutFixtures fixtures, CheckoutFixtures.Customer buyer, String sku) {
    fixtures.addToCart(buyer, sku, 1);
    var placed = fixtures.checkout(buyer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    return placed.bodyAsJsonObject().getString("id");
  }
}
