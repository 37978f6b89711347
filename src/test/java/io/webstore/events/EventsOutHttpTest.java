package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Events out through HTTP: an order reaches the order management system's FIFO queue, EventBridge and Kafka once each, valid
 * against its schema, and the operators' endpoint shows it sent; a consent change reaches Kafka; status messages from
 * the order management system move an order to shipped, and a malformed one goes to the dead-letter queue while the
 * consumer goes on.
 */
@WebstoreTest
class EventsOutHttpTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  static EventsOut out;
  static WebStore store;
  static Api api;
  static CheckoutFixtures fixtures;

  @BeforeAll
  static void start() {
    out = new EventsOut();
    store = out.start(new JsonObject());
    api = new Api(store);
    fixtures = new CheckoutFixtures(api);
  }

  @AfterAll
  static void stop() {
    api.close();
    out.close();
  }

  @Test
  void anOrderPlacedOverHttpReachesTheOrderQueueEventBridgeAndKafkaOnceAndShowsAsSent() {
    CheckoutFixtures.Customer buyer = fixtures.signedUpCustomer();
    String orderId = order(buyer);

    List<CloudEvent> oms = Deadline.until("webstore.order.placed on the order queue", WAIT, () -> {
      List<CloudEvent> found = out.omsEvents(orderId);
      return found.isEmpty() ? null : found;
    });
    assertThat(EventsOut.types(oms)).containsExactly("webstore.order.placed");
    assertThat(oms.get(0).getId()).isEqualTo(orderId + ":1");
    Message message = out.messages.stream().filter(m -> m.body().contains(orderId)).findFirst().orElseThrow();
    assertThat(message.attributes().get(
        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo(orderId);
    assertThat(message.attributes().get(
        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
        .isEqualTo(orderId + ":1");
    List<CloudEvent> kafka = Deadline.until("webstore.order.placed on Kafka", WAIT, () -> {
      List<CloudEvent> found = out.kafkaEvents(orderId);
      return found.isEmpty() ? null : found;
    });
    assertThat(EventsOut.types(kafka)).containsExactly("webstore.order.placed");
    assertThat(out.kafkaCopies(orderId + ":1")).isEqualTo(1);
    List<CloudEvent> bus = Deadline.until("webstore.order.placed on EventBridge", WAIT, () -> {
      List<CloudEvent> found = out.eventBridgeEvents(orderId);
      return found.isEmpty() ? null : found;
    });
    assertThat(EventsOut.types(bus)).containsExactly("webstore.order.placed");
    assertThat(bus.get(0).getId()).isEqualTo(orderId + ":1");

    JsonObject listed = Deadline.until("the event to show as sent everywhere", WAIT, () -> {
      HttpResponse<Buffer> events = api.get("/api/v1/admin/events?subject=" + orderId, fixtures.admin());
      assertThat(events.statusCode()).as(events.bodyAsString()).isEqualTo(200);
      JsonObject body = events.bodyAsJsonObject();
      return EventsOut.destinations(body, orderId + ":1").stream()
          .allMatch(state -> "sent".equals(((JsonObject) state).getString("state"))) ? body : null;
    });
    assertThat(EventsOut.destinations(listed, orderId + ":1").stream()
        .map(state -> ((JsonObject) state).getString("name")).toList()).containsExactly("oms", "eventbridge", "kafka");
    assertThat(fixtures.orderItem(orderId)).doesNotContainKey("outbox_pending");
    assertThat(api.get("/api/v1/admin/events?subject=" + orderId, buyer.token()).statusCode()).isEqualTo(403);
    String metrics = api.management("/metrics").bodyAsString();
    assertThat(metrics).contains("webstore_events_published_total{destination=\"oms\"}",
        "webstore_events_published_total{destination=\"kafka\"}", "webstore_events_outbox_lag_seconds",
        "webstore_events_outbox_depth");
  }

  @Test
  void aConsentChangeThroughHttpReachesEventBridgeAndKafkaWithTheConsentsBeforeAndAfter() {
    CheckoutFixtures.Customer buyer = fixtures.signedUpCustomer();
    HttpResponse<Buffer> changed = api.call(HttpMethod.PATCH, "/api/v1/customers/me", buyer.token(),
        new JsonObject().put("consents", new JsonObject().put("marketing_sms", true)));
    assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);

    List<CloudEvent> events = Deadline.until("the customer's events on Kafka", WAIT, () -> {
      List<CloudEvent> found = out.kafkaEvents(buyer.id());
      return found.size() >= 2 ? found : null;
    });
    assertThat(EventsOut.types(events)).containsExactly("webstore.customer.signed-up",
        "webstore.customer.consent-changed");
    JsonObject data = io.webstore.platform.events.Events.data(events.get(1));
    assertThat(data.getJsonObject("before").getBoolean("marketing_sms")).isFalse();
    assertThat(data.getJsonObject("after").getBoolean("marketing_sms")).isTrue();
    List<CloudEvent> bus = Deadline.until("the customer's events on EventBridge", WAIT, () -> {
      List<CloudEvent> found = out.eventBridgeEvents(buyer.id());
      return found.size() >= 2 ? found : null;
    });
    assertThat(EventsOut.types(bus)).containsExactly("webstore.customer.signed-up",
        "webstore.customer.consent-changed");
    assertThat(io.webstore.platform.events.Events.data(bus.get(1)).getJsonObject("after").getBoolean("marketing_sms"))
        .isTrue();
    assertThat(out.omsEvents(buyer.id())).isEmpty(); // not routed to the order management system
  }

  @Test
  void statusMessagesMoveTheOrderToShippedAndAMalformedOneGoesToTheDeadLetterQueue() throws Exception {
    CheckoutFixtures.Customer buyer = fixtures.signedUpCustomer();
    String orderId = order(buyer);
    String url = out.queueUrl(out.statusQueue);
    out.sqs().sendMessage(send -> send.queueUrl(url).messageBody("{not json").messageGroupId("broken")
        .messageDeduplicationId("broken-" + orderId)).get();
    for (String status : List.of("paid", "fulfilling", "shipped")) {
      out.sqs().sendMessage(send -> send.queueUrl(url)
          .messageBody(new JsonObject().put("order_id", orderId).put("status", status).encode())
          .messageGroupId(orderId).messageDeduplicationId(orderId + "-" + status)).get();
    }

    Deadline.await("the order to be shipped", WAIT, () -> "shipped".equals(
        api.get("/api/v1/orders/" + orderId, buyer.token()).bodyAsJsonObject().getString("status")));
    String dlq = out.queueUrl(out.statusQueue.replace(".fifo", "-dlq.fifo"));
    Message dead = Deadline.until("the malformed message in the dead-letter queue", WAIT, () -> {
      try {
        List<Message> found = out.sqs().receiveMessage(receive -> receive.queueUrl(dlq).waitTimeSeconds(0))
            .get().messages();
        return found.isEmpty() ? null : found.get(0);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(dead.body()).isEqualTo("{not json");
    // the moves made their events, which the relay sends on
    List<CloudEvent> oms = Deadline.until("the order's four events on the order queue", WAIT, () -> {
      List<CloudEvent> found = out.omsEvents(orderId);
      return found.size() >= 4 ? found : null;
    });
    assertThat(EventsOut.types(oms)).containsExactly("webstore.order.placed", "webstore.order.paid",
        "webstore.order.status-changed", "webstore.order.status-changed");
  }

  @Test
  void statusMessagesWithASequenceAreDeduplicatedLikeTheOrderStatusFeed() throws Exception {
    CheckoutFixtures.Customer buyer = fixtures.signedUpCustomer();
    String orderId = order(buyer);
    String url = out.queueUrl(out.statusQueue);
    // one group, so they arrive in this order; the cancellation is older than the payment already reported
    List<JsonObject> reports = List.of(
        new JsonObject().put("order_id", orderId).put("status", "paid").put("sequence", 2),
        new JsonObject().put("order_id", orderId).put("status", "cancelled").put("sequence", 1),
        new JsonObject().put("order_id", orderId).put("status", "fulfilling").put("sequence", 3)
            .put("tracking", "TRACK-" + orderId));
    for (JsonObject report : reports) {
      out.sqs().sendMessage(send -> send.queueUrl(url).messageBody(report.encode()).messageGroupId(orderId)
          .messageDeduplicationId(orderId + "-" + report.getLong("sequence"))).get();
    }

    Deadline.await("the order to be fulfilling", WAIT, () -> "fulfilling".equals(
        api.get("/api/v1/orders/" + orderId, buyer.token()).bodyAsJsonObject().getString("status")));
    var item = fixtures.orderItem(orderId);
    assertThat(item.get("status_sequence").n()).isEqualTo("3");
    assertThat(item.get("tracking").s()).isEqualTo("TRACK-" + orderId);
    assertThat(item).doesNotContainKey("compensation_pending"); // never cancelled
  }

  private static String order(CheckoutFixtures.Customer buyer) {
    String sku = fixtures.product("EVO", "9.90", 5);
    fixtures.addToCart(buyer, sku, 1);
    HttpResponse<Buffer> placed = fixtures.checkout(buyer, CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve"));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    return placed.bodyAsJsonObject().getString("id");
  }
}
