package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.webstore.WebStore;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.dev.StandaloneKafka;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Kafka is not on the serving path: with the broker stopped in the middle of a 200-order run, every order is still
 * placed and readiness stays up; the events wait in the outbox (attempts are not spent on an unreachable broker) and
 * all arrive once the broker is back. The store under test has a broker of its own, so the shared one never stops.
 */
@WebstoreTest
class KafkaOutageTest {

  private static final int ORDERS = 200;

  @Test
  void withKafkaStoppedDuringTheRunEveryOrderIsPlacedAndEveryEventArrivesAfter() {
    try (StandaloneKafka kafka = StandaloneKafka.start(); EventsOut out = new EventsOut(kafka.bootstrapServers())) {
      WebStore store = out.start(new JsonObject()
          .put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers()))
          .put("events", new JsonObject().put("kafkaTimeoutMs", 1000).put("maxAttempts", 3)));
      try (Api api = new Api(store)) {
        CheckoutFixtures fixtures = new CheckoutFixtures(api);
        String sku = fixtures.product("OUTAGE", "3.00", ORDERS);
        List<CheckoutFixtures.Customer> buyers = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
          buyers.add(fixtures.mintedCustomer());
        }
        WebClient client = api.client();
        CheckoutFixtures.timed(ORDERS, 16, i -> fixtures.addToCart(client, buyers.get(i), sku, 1))
            .forEach(added -> assertThat(added.response().statusCode()).isEqualTo(200));

        List<String> orderIds = new ArrayList<>();
        orderIds.addAll(checkout(api, buyers.subList(0, ORDERS / 2)));
        kafka.stop();
        orderIds.addAll(checkout(api, buyers.subList(ORDERS / 2, ORDERS)));
        assertThat(orderIds).hasSize(ORDERS).doesNotHaveDuplicates();
        assertThat(api.get("/health/ready", null).statusCode()).isEqualTo(200);
        // the outbox holds what Kafka has not taken, and nothing was parked for the outage
        assertThat(api.management("/metrics").bodyAsString()).doesNotContain(
            "webstore_events_parked_total{destination=\"kafka\"}");

        kafka.restart();
        Set<String> wanted = orderIds.stream().map(id -> id + ":1").collect(Collectors.toSet());
        Deadline.await("every order's placed event on Kafka", Duration.ofSeconds(120), () -> out.pollKafka()
            .stream().map(record -> new String(record.headers().lastHeader("ce_id").value()))
            .collect(Collectors.toSet()).containsAll(wanted));
        for (String orderId : orderIds) {
          assertThat(EventsOut.types(out.kafkaEvents(orderId))).containsExactly("webstore.order.placed");
        }
        Deadline.await("every order's placed event on the order queue", Duration.ofSeconds(60), () -> {
          out.drainOrderQueue();
          return out.messages.stream().map(message -> EventSchemas.valid(message.body()).getId())
              .collect(Collectors.toSet()).containsAll(wanted);
        });
      }
    }
  }

  private static List<String> checkout(Api api, List<CheckoutFixtures.Customer> buyers) {
    return CheckoutFixtures.timed(buyers.size(), 16, i -> CheckoutFixtures.checkout(api.client(), api.port(),
            buyers.get(i), CheckoutFixtures.key(), CheckoutFixtures.body("tok_approve")))
        .stream()
        .map(placed -> {
          assertThat(placed.response().statusCode()).as(placed.response().bodyAsString()).isEqualTo(201);
          return placed.response().bodyAsJsonObject().getString("id");
        })
        .toList();
  }
}
