package io.webstore.feeds;

import static io.webstore.feeds.FeedKit.WAIT;
import static io.webstore.feeds.FeedKit.count;
import static io.webstore.feeds.FeedKit.header;
import static io.webstore.feeds.FeedKit.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.WebStore;
import io.webstore.orders.OrderStatus;
import io.webstore.testing.Deadline;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** About 1% poison records among a thousand good ones: each poison record costs itself only. */
@WebstoreTest
class PoisonRecordsTest {

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndEveryGoodRecordStillApplies(Stores stores) {
    try (FeedKit kit = new FeedKit(3)) {
      WebStore store = stores.start(kit.overrides(100));
      List<String> orders = FeedKit.place(store, 50);
      Set<String> poison = new HashSet<>();
      int good = 0;
      for (int sequence = 1; sequence <= 20; sequence++) {
        String status = sequence == 20 ? "fulfilling" : "paid";
        for (String id : orders) {
          kit.send(id, report(id, status, sequence));
          good++;
          if (good % 100 == 0) { // 1%
            RecordMetadata sent = poison.size() % 2 == 0
                ? kit.send(id, "not json " + sequence)
                : kit.send(id, report(id, "paid", -sequence)); // a negative sequence breaks the schema
            poison.add(sent.partition() + "@" + sent.offset());
          }
        }
      }
      int poisonCount = poison.size();
      assertThat(poisonCount).isEqualTo(10);

      Deadline.await("every record committed", WAIT, () -> kit.lag() == 0);
      for (String id : orders) {
        assertThat(FeedKit.order(store, id).status()).as(id).isEqualTo(OrderStatus.FULFILLING);
        assertThat(FeedKit.statusSequence(store, id)).isEqualTo(20);
      }
      Set<String> lettered = kit.deadLetters().stream()
          .map(letter -> header(letter, "partition") + "@" + header(letter, "offset"))
          .collect(Collectors.toSet());
      assertThat(lettered).isEqualTo(poison);
      assertThat(count(store, "webstore.feed.records", "topic", "supply.order-status", "outcome", "applied"))
          .isEqualTo(good);
      assertThat(count(store, "webstore.feed.records", "topic", "supply.order-status", "outcome", "dlq"))
          .isEqualTo(poisonCount);
      assertThat(count(store, "webstore.feed.records", "topic", "supply.order-status", "outcome", "stale")).isZero();
    }
  }
}
