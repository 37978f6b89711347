package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.dev.EventBridgeEndpoint;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An event one destination keeps refusing is parked there with its reason after {@code events.maxAttempts} tries and
 * blocks nothing: its other destinations and the other orders' events flow. An operator's retry sends it again once the
 * destination takes it.
 */
@WebstoreTest
class EventParkingHttpTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  static EventsOut out;
  static WebStore store;
  static Api api;
  static CheckoutFixtures fixtures;

  @BeforeAll
  static void start() {
    out = new EventsOut();
    store = out.start(new JsonObject().put("events", new JsonObject().put("maxAttempts", 2)));
    api = new Api(store);
    fixtures = new CheckoutFixtures(api);
  }

  @AfterAll
  static void stop() {
    api.close();
    out.close();
  }

  @Test
  void anEventTheBusKeepsRefusingIsParkedWithItsReasonBlocksNothingAndAnOperatorSendsItAgain() {
    EventBridgeEndpoint bus = Engines.shared().devServices().eventBridge();
    CheckoutFixtures.Customer refused = fixtures.signedUpCustomer();
    CheckoutFixtures.Customer other = fixtures.signedUpCustomer();
    EventBridgeEndpoint.Fault fault = bus.failEntries(entry -> "webstore.order.placed".equals(
            entry.getString("DetailType")) && entry.getString("Detail", "").contains(refused.id()),
        "InternalFailure", "the bus is failing this entry on purpose", Integer.MAX_VALUE);
    String parkedOrder;
    try {
      parkedOrder = order(refused);
      String otherOrder = order(other);

      Map<String, JsonObject> states = Deadline.until("the refused event parked at the bus", WAIT, () -> {
        Map<String, JsonObject> byName = deliveries(parkedOrder);
        return byName.containsKey("eventbridge") && "parked".equals(byName.get("eventbridge").getString("state"))
            ? byName : null;
      });
      assertThat(states.get("eventbridge").getInteger("attempts")).isEqualTo(2);
      assertThat(states.get("eventbridge").getString("last_error")).contains("InternalFailure");
      // the event's other destinations and the other order are not held back by it
      Deadline.await("the parked event's other destinations", WAIT, () -> {
        Map<String, JsonObject> byName = deliveries(parkedOrder);
        return "sent".equals(byName.get("oms").getString("state"))
            && "sent".equals(byName.get("kafka").getString("state"));
      });
      Deadline.await("the other order's event on the bus", WAIT, () -> !out.eventBridgeEvents(otherOrder).isEmpty());
      assertThat(out.eventBridgeEvents(parkedOrder)).as("never accepted by the bus").isEmpty();
      assertThat(api.management("/metrics").bodyAsString())
          .contains("webstore_events_parked_total{destination=\"eventbridge\"}");
    } finally {
      fault.close();
    }

    // the bus takes it again: an operator re-queues the parked delivery, and it leaves once
    HttpResponse<Buffer> retried = api.call(HttpMethod.POST, "/api/v1/admin/events/" + parkedOrder + ":1/retry",
        fixtures.admin(), null);
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    Deadline.await("the retried event sent to the bus", WAIT,
        () -> "sent".equals(deliveries(parkedOrder).get("eventbridge").getString("state")));
    assertThat(out.eventBridgeEvents(parkedOrder)).extracting(event -> event.getId())
        .containsExactly(parkedOrder + ":1");
    HttpResponse<Buffer> byCustomer = api.call(HttpMethod.POST, "/api/v1/admin/events/" + parkedOrder + ":1/retry",
        refused.token(), null);
    assertThat(byCustomer.statusCode()).as("operators only").isEqualTo(403);
  }

  private static Map<String, JsonObject> deliveries(String orderId) {
    HttpResponse<Buffer> listed = api.get("/api/v1/admin/events?subject=" + orderId, fixtures.admin());
    assertThat(listed.statusCode()).as(listed.bodyAsString()).isEqualTo(200);
    return EventsOut.destinations(listed.bodyAsJsonObject(), orderId + ":1").stream()
        .map(JsonObject.class::cast)
        .collect(Collectors.toMap(state -> state.getString("name"), state -> state));
  }

  private static String order(CheckoutFixtures.Customer buyer) {
    String sku = fixtures.product("PARK", "9.90", 5);
    fixtures.addToCart(buyer, sku, 1);
    HttpResponse<Buffer> placed = fixtures.checkout(buyer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    return placed.bodyAsJsonObject().getString("id");
  }
}
