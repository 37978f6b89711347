package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.platform.events.Delivery;
import io.webstore.platform.events.EventDestination;
import io.webstore.platform.events.Events;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A relay that dies at a named step: its store's destinations are wrapped so that, at the first batch holding the
 * watched customer's {@code webstore.order.placed}, the relay stops dead (every call from then on never answers, so
 * nothing is recorded and its lease stays), either right after the destination took the events ({@link
 * Step#AFTER_PUBLISH}) or before it was called ({@link Step#BEFORE_PUBLISH}). The store is stopped, a second one
 * takes the item over when the lease expires, and the consumers' side must show the event exactly once after
 * deduplication (SQS FIFO deduplication on the order queue; by {@code ce_id} on Kafka; by {@code detail.id} on
 * EventBridge).
 */
@WebstoreTest
class RelayCrashTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  enum Step { BEFORE_PUBLISH, AFTER_PUBLISH }

  EventsOut out;

  @BeforeEach
  void setUp() {
    out = new EventsOut();
  }

  @AfterEach
  void tearDown() {
    out.close();
  }

  /** Kills the relay at {@code step} on the watched customer's placed order; records what the destinations took. */
  static final class Faults {
    final Step step;
    volatile String customerId = "";
    final AtomicBoolean dead = new AtomicBoolean();
    final Promise<Void> died = Promise.promise();
    final Set<String> published = ConcurrentHashMap.newKeySet();

    Faults(Step step) {
      this.step = step;
    }

    UnaryOperator<EventDestination> around() {
      return destination -> new EventDestination() {
        @Override
        public String name() {
          return destination.name();
        }

        @Override
        public Future<List<Delivery>> publish(List<CloudEvent> events) {
          if (dead.get()) {
            return Promise.<List<Delivery>>promise().future(); // a dead process answers nothing
          }
          boolean watched = events.stream().anyMatch(event -> event.getType().equals("webstore.order.placed")
              && customerId.equals(Events.data(event).getString("customer_id")));
          if (watched && step == Step.BEFORE_PUBLISH && dead.compareAndSet(false, true)) {
            died.tryComplete();
            return Promise.<List<Delivery>>promise().future();
          }
          return destination.publish(events).compose(results -> {
            events.forEach(event -> published.add(destination.name() + " " + event.getId()));
            if (watched && step == Step.AFTER_PUBLISH) {
              dead.set(true);
              died.tryComplete();
              return Promise.<List<Delivery>>promise().future();
            }
            return Future.succeededFuture(results);
          });
        }
      };
    }
  }

  @Test
  void killedAfterPublishingTheNextRelayPublishesAgainAndDedupLeavesOneEffect() {
    crashAndTakeOver(Step.AFTER_PUBLISH);
  }

  @Test
  void killedBeforePublishingNothingIsLost() {
    crashAndTakeOver(Step.BEFORE_PUBLISH);
  }

  private void crashAndTakeOver(Step step) {
    Faults faults = new Faults(step);
    WebStore dying = out.start(new JsonObject(), faults.around());
    String orderId;
    try (Api api = new Api(dying)) {
      CheckoutFixtures fixtures = new CheckoutFixtures(api);
      CheckoutFixtures.Customer buyer = fixtures.signedUpCustomer();
      faults.customerId = buyer.id();
      String sku = fixtures.product("CRASH", "4.00", 3);
      fixtures.addToCart(buyer, sku, 1);
      HttpResponse<Buffer> placed = fixtures.checkout(buyer, CheckoutFixtures.key(),
          CheckoutFixtures.body("tok_approve"));
      assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
      orderId = placed.bodyAsJsonObject().getString("id");
      io.webstore.testing.Engines.await(faults.died.future(), WAIT);
      assertThat(fixtures.orderItem(orderId)).containsKey("outbox_pending").containsKey("outbox_lease");
    }
    String eventId = orderId + ":1";
    if (step == Step.AFTER_PUBLISH) {
      // which destination took it first is the relay's business: at least one had it when the relay died
      assertThat(faults.published).as("the dead relay had handed the event over")
          .anyMatch(p -> p.endsWith(" " + eventId));
    } else {
      assertThat(faults.published).as("the dead relay published nothing of it").noneMatch(p -> p.endsWith(eventId));
    }
    out.stop(dying);

    Faults recorder = new Faults(null);
    WebStore takeover = out.start(new JsonObject(), recorder.around());
    Deadline.await("the second relay to publish the event to every destination", WAIT,
        () -> recorder.published.containsAll(
            List.of("oms " + eventId, "kafka " + eventId, "eventbridge " + eventId)));
    Deadline.await("the order queue to hold the event", WAIT, () -> !out.omsEvents(orderId).isEmpty());
    Deadline.await("Kafka to carry the event", WAIT, () -> !out.kafkaEvents(orderId).isEmpty());
    try (Api api = new Api(takeover)) {
      CheckoutFixtures fixtures = new CheckoutFixtures(api);
      Deadline.await("the event recorded as sent", WAIT, () -> !fixtures.orderItem(orderId).containsKey("outbox_pending"));
    }
    // whatever else arrives, after deduplication the event is there exactly once on each
    assertThat(EventsOut.types(out.omsEvents(orderId))).containsExactly("webstore.order.placed");
    assertThat(out.omsEvents(orderId).stream().filter(event -> event.getId().equals(eventId))).hasSize(1);
    assertThat(EventsOut.types(out.kafkaEvents(orderId))).containsExactly("webstore.order.placed");
    assertThat(EventsOut.types(out.eventBridgeEvents(orderId))).containsExactly("webstore.order.placed");
    if (step == Step.BEFORE_PUBLISH) {
      assertThat(out.kafkaCopies(eventId)).isEqualTo(1);
    } else {
      assertThat(out.kafkaCopies(eventId)).isBetween(1L, 2L);
    }
  }
}
