package io.webstore.feeds;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.webstore.platform.metrics.MeterCache;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one topic's consumer, tagged with the topic's logical name:
 *
 * <ul>
 *   <li>{@code webstore_feed_records_total{topic, outcome}}: {@code in} (taken from the broker), {@code applied},
 *       {@code stale}, {@code dlq};
 *   <li>{@code webstore_feed_dlq_total{topic, reason}}: dead letters by reason code ({@code not-json}, {@code schema},
 *       {@code unknown-order}, {@code illegal-transition}, ...);
 *   <li>{@code webstore_feed_lag_records{topic, partition}}: the records of an owned partition not committed yet;
 *   <li>{@code webstore_feed_batch_seconds{topic, outcome}}: a batch from poll to commit;
 *   <li>{@code webstore_feed_commits_total{topic, outcome}}: {@code committed}, {@code skipped} (a partition revoked
 *       since the poll), {@code failed} (replayed later);
 *   <li>{@code webstore_feed_retries_total{topic}}: chunks and dead letters sent again after a failure.
 * </ul>
 */
final class FeedMeters {

  private final MeterRegistry registry;
  private final MeterCache meters;
  private final String topic;
  private final Map<Integer, AtomicLong> lags = new ConcurrentHashMap<>();
  private final Map<Integer, Gauge> lagGauges = new ConcurrentHashMap<>();

  FeedMeters(MeterRegistry registry, String topic) {
    this.registry = registry;
    this.meters = MeterCache.of(registry);
    this.topic = topic;
  }

  void records(String outcome, int count) {
    if (count > 0) {
      meters.counter("webstore.feed.records", "topic", topic, "outcome", outcome).increment(count);
    }
  }

  /** One dead letter; the reason's code is the part before its first ':'. */
  void deadLetter(String reason) {
    int colon = reason.indexOf(':');
    meters.counter("webstore.feed.dlq", "topic", topic, "reason", colon < 0 ? reason : reason.substring(0, colon))
        .increment();
  }

  /** A chunk or the dead letters of a batch sent again after a failure. */
  void retry() {
    meters.counter("webstore.feed.retries", "topic", topic).increment();
  }

  void commit(String outcome) {
    meters.counter("webstore.feed.commits", "topic", topic, "outcome", outcome).increment();
  }

  Timer batch(String outcome) {
    return meters.timer("webstore.feed.batch", "topic", topic, "outcome", outcome);
  }

  void lag(int partition, long records) {
    lags.computeIfAbsent(partition, p -> {
      AtomicLong value = new AtomicLong();
      lagGauges.put(p, Gauge.builder("webstore.feed.lag", value, AtomicLong::get)
          .baseUnit("records")
          .tags("topic", topic, "partition", Integer.toString(p))
          .register(registry));
      return value;
    }).set(records);
  }

  /** A partition this consumer no longer owns: its lag is another member's to report. */
  void forgetLag(int partition) {
    lags.remove(partition);
    Gauge gauge = lagGauges.remove(partition);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }
}
