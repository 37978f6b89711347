package io.webstore.feeds;

import static io.webstore.feeds.FeedKit.WAIT;
import static io.webstore.feeds.FeedKit.count;
import static io.webstore.feeds.FeedKit.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.WebStore;
import io.webstore.orders.Order;
import io.webstore.orders.OrderStatus;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A consumer stopped in the middle of a feed: the next one in its group ends in the same state, nothing skipped. */
@WebstoreTest
class FeedRestartTest {

  @Test
  void aConsumerStoppedMidFeedLeavesNothingSkippedForTheNextOne(Stores stores) {
    try (FeedKit kit = new FeedKit(1)) {
      WebStore first = stores.start(kit.overrides(10));
      List<String> orders = FeedKit.place(first, 30);
      // an order still being placed cannot move yet: its batch is sent again and again, so the feed stops there
      String blocker = FeedKit.place(first, false);
      orders.forEach(id -> kit.send(id, report(id, "paid", 1)));
      kit.send(blocker, report(blocker, "paid", 1));
      orders.forEach(id -> kit.send(id, report(id, "fulfilling", 2)));
      long total = 2L * orders.size() + 1;

      Deadline.await("the first consumer held at the blocker's batch", WAIT,
          () -> count(first, "webstore.feed.retries", "topic", "supply.order-status") >= 1);
      Deadline.await("the batches before the blocker's committed", WAIT, () -> kit.lag() < total);
      long lagAtStop = kit.lag();
      assertThat(lagAtStop).as("nothing committed past the blocker (and the reports after it)")
          .isGreaterThanOrEqualTo(orders.size() + 1);
      Engines.await(first.stop(), Duration.ofSeconds(60));

      WebStore second = stores.start(kit.overrides(10));
      FeedKit.complete(second, blocker);
      Deadline.await("every record committed by the second consumer", WAIT, () -> kit.lag() == 0);

      for (String id : orders) {
        Order order = FeedKit.order(second, id);
        assertThat(order.status()).as(id).isEqualTo(OrderStatus.FULFILLING);
        assertThat(order.version()).as("two moves, each once: %s", id).isEqualTo(3);
        assertThat(FeedKit.statusSequence(second, id)).isEqualTo(2);
      }
      assertThat(FeedKit.order(second, blocker).status()).isEqualTo(OrderStatus.PAID);
      assertThat(FeedKit.statusSequence(second, blocker)).isEqualTo(1);
      assertThat(kit.deadLetters()).isEmpty();
      assertThat(count(second, "webstore.feed.records", "topic", "supply.order-status", "outcome", "in"))
          .as("the second consumer starts where the first committed")
          .isEqualTo(lagAtStop);
    }
  }
}
