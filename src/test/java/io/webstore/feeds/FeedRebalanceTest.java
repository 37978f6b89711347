package io.webstore.feeds;

import static io.webstore.feeds.FeedKit.WAIT;
import static io.webstore.feeds.FeedKit.count;
import static io.webstore.feeds.FeedKit.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
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

/**
 * Two stores in one group on a four-partition topic: the second joins while the first has a batch in flight, the
 * first leaves later. The in-flight batch commits no partition revoked since it was polled; every record applies once
 * by its sequence; the end state is the same as with one consumer.
 */
@WebstoreTest
class FeedRebalanceTest {

  @Test
  void aMemberJoiningAndLeavingMidFeedCommitsOnlyWhatItStillOwns(Stores stores) {
    try (FeedKit kit = new FeedKit(4)) {
      WebStore first = stores.start(kit.overrides(50));
      List<String> orders = FeedKit.place(first, 24);
      String blocker = FeedKit.place(first, false); // holds the first's batch in flight until completed
      kit.send(blocker, report(blocker, "paid", 1));
      orders.forEach(id -> kit.send(id, report(id, "paid", 1)));
      orders.forEach(id -> kit.send(id, report(id, "fulfilling", 2)));

      Deadline.await("the first consumer with a batch in flight", WAIT,
          () -> count(first, "webstore.feed.retries", "topic", "supply.order-status") >= 1);
      WebStore second = stores.start(kit.overrides(50)); // joins: the partitions are revoked and shared out
      Deadline.await("the second consumer reading its partitions", WAIT,
          () -> count(second, "webstore.feed.records", "topic", "supply.order-status", "outcome", "in") > 0);
      FeedKit.complete(first, blocker);
      Deadline.await("the first's in-flight batch done, its revoked partitions not committed", WAIT,
          () -> count(first, "webstore.feed.commits", "topic", "supply.order-status", "outcome", "skipped") >= 1);

      Engines.await(first.stop(), Duration.ofSeconds(60)); // leaves: the second takes every partition
      orders.forEach(id -> kit.send(id, new JsonObject().put("order_id", id).put("status", "fulfilling")
          .put("sequence", 3).put("tracking", "TRACK-" + id).encode()));
      Deadline.await("every record committed", WAIT, () -> kit.lag() == 0);

      for (String id : orders) {
        Order order = FeedKit.order(second, id);
        assertThat(order.status()).as(id).isEqualTo(OrderStatus.FULFILLING);
        assertThat(order.version()).as("two moves, each once: %s", id).isEqualTo(3);
        assertThat(FeedKit.statusSequence(second, id)).isEqualTo(3);
        assertThat(FeedKit.item(second, id).get("tracking").s()).isEqualTo("TRACK-" + id);
      }
      assertThat(FeedKit.order(second, blocker).status()).isEqualTo(OrderStatus.PAID);
      assertThat(kit.deadLetters()).isEmpty();
    }
  }
}
