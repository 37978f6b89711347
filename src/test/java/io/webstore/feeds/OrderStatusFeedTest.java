package io.webstore.feeds;

import static io.webstore.feeds.FeedKit.WAIT;
import static io.webstore.feeds.FeedKit.count;
import static io.webstore.feeds.FeedKit.header;
import static io.webstore.feeds.FeedKit.report;
import static io.webstore.feeds.FeedKit.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.orders.Order;
import io.webstore.orders.OrderStatus;
import io.webstore.payment.PaymentClient;
import io.webstore.platform.money.Amount;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * {@code supply.order-status} end to end: good, stale, malformed, unknown-order and illegal-move records through the
 * broker, the consumer and {@code orders.feed}. Each test has its own topic and group ({@link FeedKit}).
 */
@WebstoreTest
class OrderStatusFeedTest {

  @Test
  void goodRecordsApplyOnceStaleOnesAreIgnoredAndTheRestIsDeadLetteredWithItsReason(Stores stores) {
    try (FeedKit kit = new FeedKit(3)) {
      WebStore store = stores.start(kit.overrides(4)); // small batches: several polls and commits
      String moving = FeedKit.place(store, true);
      String raced = FeedKit.place(store, true);
      String skipping = FeedKit.place(store, true);
      String untouched = FeedKit.place(store, true);
      String unknown = "feed-order-unknown-" + kit.run;

      kit.send(moving, report(moving, "paid", 1));
      kit.send(moving, report(moving, "fulfilling", 2));
      kit.send(moving, report(moving, "paid", 1)); // a replay: stale
      kit.send(moving, report(moving, "fulfilling", 2)); // the same again: stale
      kit.send(moving, new JsonObject().put("order_id", moving).put("status", "fulfilling").put("sequence", 3)
          .put("tracking", "TRACK-" + kit.run).encode()); // the same status, later: applied, sequence bumped
      kit.send(raced, report(raced, "paid", 5));
      kit.send(raced, report(raced, "cancelled", 3)); // older than what is stored: stale, not a cancellation
      Map<String, RecordMetadata> bad = new LinkedHashMap<>();
      bad.put("illegal-transition: placed -> delivered", kit.send(skipping, report(skipping, "delivered", 1)));
      bad.put("unknown-order: " + unknown, kit.send(unknown, report(unknown, "paid", 1)));
      bad.put("not-json", kit.send("garbage-" + kit.run, "{\"order_id\": oops"));
      bad.put("schema: missing sequence", kit.send(untouched,
          new JsonObject().put("order_id", untouched).put("status", "paid").encode()));
      bad.put("schema: unknown status", kit.send(untouched, report(untouched, "teleported", 9)));

      Deadline.await("every record committed", WAIT, () -> kit.lag() == 0);
      List<ConsumerRecord<byte[], byte[]>> letters = Deadline.until("five dead letters", WAIT, () -> {
        List<ConsumerRecord<byte[], byte[]>> all = kit.deadLetters();
        return all.size() >= 5 ? all : null;
      });

      Order moved = FeedKit.order(store, moving);
      assertThat(moved.status()).isEqualTo(OrderStatus.FULFILLING);
      assertThat(moved.version()).as("placed, paid, fulfilling: two moves, each once").isEqualTo(3);
      assertThat(FeedKit.statusSequence(store, moving)).isEqualTo(3);
      assertThat(FeedKit.item(store, moving).get("tracking").s()).isEqualTo("TRACK-" + kit.run);
      Order racedOrder = FeedKit.order(store, raced);
      assertThat(racedOrder.status()).isEqualTo(OrderStatus.PAID);
      assertThat(FeedKit.statusSequence(store, raced)).isEqualTo(5);
      assertThat(FeedKit.order(store, skipping).status()).isEqualTo(OrderStatus.PLACED);
      assertThat(FeedKit.order(store, untouched).status()).isEqualTo(OrderStatus.PLACED);
      assertThat(FeedKit.statusSequence(store, untouched)).isZero();

      assertThat(letters).hasSize(5);
      letters.sort(Comparator.comparing(letter -> Long.parseLong(header(letter, "offset"))
          + 1_000_000L * Integer.parseInt(header(letter, "partition"))));
      for (Map.Entry<String, RecordMetadata> expected : bad.entrySet()) {
        RecordMetadata original = expected.getValue();
        ConsumerRecord<byte[], byte[]> letter = letters.stream()
            .filter(l -> header(l, "partition").equals(Integer.toString(original.partition()))
                && header(l, "offset").equals(Long.toString(original.offset())))
            .findFirst().orElseThrow(() -> new AssertionError("no dead letter for " + expected.getKey() + " at "
                + original + " among " + FeedKit.describe(letters)));
        assertThat(header(letter, "topic")).isEqualTo(kit.topic);
        String reason = header(letter, "reason");
        String code = expected.getKey().split(":")[0];
        assertThat(reason).as(expected.getKey()).startsWith(code);
        if (!code.equals("schema") && !code.equals("not-json")) {
          assertThat(reason).isEqualTo(expected.getKey());
        }
      }
      ConsumerRecord<byte[], byte[]> garbage = letters.stream()
          .filter(l -> header(l, "reason").startsWith("not-json")).findFirst().orElseThrow();
      assertThat(text(garbage.key())).isEqualTo("garbage-" + kit.run);
      assertThat(garbage.value()).isEqualTo("{\"order_id\": oops".getBytes(StandardCharsets.UTF_8));

      assertThat(count(store, "webstore.feed.records", "topic", "supply.order-status", "outcome", "in"))
          .isEqualTo(12);
      assertThat(count(store, "webstore.feed.records", "topic", "supply.order-status", "outcome", "applied"))
          .isEqualTo(4);
      assertThat(count(store, "webstore.feed.records", "topic", "supply.order-status", "outcome", "stale"))
          .isEqualTo(3);
      assertThat(count(store, "webstore.feed.records", "topic", "supply.order-status", "outcome", "dlq"))
          .isEqualTo(5);
      assertThat(count(store, "webstore.feed.dlq", "topic", "supply.order-status", "reason", "schema"))
          .isEqualTo(2);
      assertThat(count(store, "webstore.feed.dlq", "topic", "supply.order-status", "reason", "unknown-order"))
          .isEqualTo(1);
      Deadline.await("the lag gauges at 0", WAIT, () -> {
        var gauges = store.services().meters().find("webstore.feed.lag").tags("topic", "supply.order-status")
            .gauges();
        return !gauges.isEmpty() && gauges.stream().allMatch(gauge -> gauge.value() == 0);
      });
    }
  }

  @Test
  void aShippedReportWhoseCaptureIsRefusedIsDeadLetteredAndTheRecordsBehindItApply(Stores stores) {
    try (FeedKit kit = new FeedKit(1)) {
      WebStore store = stores.start(kit.overrides(10));
      String voided = FeedKit.place(store, true);
      String behind = FeedKit.place(store, true);
      PaymentClient payments = new PaymentClient(store.vertx(), Duration.ofSeconds(20));
      // the order's payment was authorized, then voided (an expired authorization): its capture is refused for good
      Engines.await(payments.authorize("pay-" + voided, Amount.of("10.00", "EUR"), "tok_approve",
              Map.of("customer_id", "feed-customer-" + voided, "order_id", voided))
          .compose(authorized -> payments.voidAuthorization("pay-" + voided)));

      kit.send(voided, report(voided, "paid", 1));
      kit.send(voided, report(voided, "fulfilling", 2));
      RecordMetadata refused = kit.send(voided, report(voided, "shipped", 3));
      kit.send(voided, report(behind, "paid", 1)); // the same key: the same partition, behind the refused one

      Deadline.await("every record committed", WAIT, () -> kit.lag() == 0);
      ConsumerRecord<byte[], byte[]> letter = Deadline.until("the refused report dead-lettered", WAIT, () -> {
        List<ConsumerRecord<byte[], byte[]>> all = kit.deadLetters();
        return all.isEmpty() ? null : all.get(0);
      });
      assertThat(header(letter, "reason")).startsWith("capture-refused: ");
      assertThat(header(letter, "offset")).isEqualTo(Long.toString(refused.offset()));
      assertThat(FeedKit.order(store, voided).status()).as("not shipped uncharged")
          .isEqualTo(OrderStatus.FULFILLING);
      assertThat(FeedKit.order(store, behind).status()).isEqualTo(OrderStatus.PAID);
      assertThat(Engines.await(payments.get("pay-" + voided)).status().wire()).isEqualTo("voided");
    }
  }
}
