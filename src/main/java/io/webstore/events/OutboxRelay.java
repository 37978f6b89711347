package io.webstore.events;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.webstore.platform.events.Delivery;
import io.webstore.platform.events.EventDestination;
import io.webstore.platform.events.Events;
import io.webstore.platform.events.EventsConfig;
import io.webstore.platform.events.Outbox;
import io.webstore.platform.resilience.SingleRun;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The outbox relay. Each poll finds the items with undelivered events through the sparse index of every outbox table,
 * claims each with a lease (a conditional update; it expires, so a crashed relay's items are taken over, and several
 * relays can run), publishes their events to the destinations the routing table names, and records per event and
 * destination what happened with a conditional update that only the lease holder can make.
 *
 * <p>Order: per destination, one order's (subject's) events leave in the order they were written. Each round hands a
 * destination at most the next event of every item, so a batch holds events of different subjects; an event that fails
 * retryably stops its subject for that destination until the next poll, and after {@code maxAttempts} it is parked (and
 * no longer blocks the events after it). A destination that cannot be reached at all (the call fails as a whole) costs
 * the events no attempt: they wait, the outbox grows and its lag shows in the metrics and the log.
 *
 * <p>Publication is at least once (a relay that dies after publishing and before recording publishes again after its
 * lease expires); consumers deduplicate by the event id.
 */
final class OutboxRelay extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  /** DynamoDB calls of one relay in flight at once. */
  private static final int IN_FLIGHT = 16;

  private final List<OutboxTable> tables;
  private final Destinations destinations;
  private final EventsConfig config;
  private final MeterRegistry meters;
  private final Clock clock;
  private final String owner = "relay-" + UUID.randomUUID();
  private final SingleRun<Void> polls = new SingleRun<>();
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong oldestPendingMillis = new AtomicLong();
  private final Map<String, Instant> downUntil = new ConcurrentHashMap<>();
  private final Map<String, Integer> downStreak = new ConcurrentHashMap<>();
  private long pollTimer = -1;
  private long logTimer = -1;

  OutboxRelay(List<OutboxTable> tables, Destinations destinations, EventsConfig config, MeterRegistry meters,
      Clock clock) {
    this.tables = tables;
    this.destinations = destinations;
    this.config = config;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    Gauge.builder("webstore.events.outbox.depth", depth, AtomicLong::get)
        .description("items with undelivered events, as the last poll found them (at most batchSize per shard)")
        .register(meters);
    Gauge.builder("webstore.events.outbox.lag", this, relay -> relay.lagSeconds())
        .description("age of the oldest undelivered event the last poll found")
        .baseUnit("seconds")
        .register(meters);
    pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), tick -> polls.startIfIdle(this::poll)
        .ifPresent(poll -> poll.onFailure(err -> log.warn("events.relay.poll_failed error={}", err.toString()))));
    logTimer = vertx.setPeriodic(config.lagLogInterval().toMillis(), tick ->
        log.info("events.outbox depth={} lag_s={}", depth.get(), String.format("%.1f", lagSeconds())));
    log.info("events.relay.started owner={} destinations={} tables={}", owner, destinations.names(),
        tables.stream().map(OutboxTable::logicalName).toList());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(logTimer);
    return destinations.close();
  }

  private double lagSeconds() {
    long oldest = oldestPendingMillis.get();
    return oldest == 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
  }

  /** One item claimed by this relay: its table, key, entries and the states changed in this poll. */
  private static final class Claimed {
    final OutboxTable table;
    final String key;
    final List<OutboxEntry> entries;
    final Map<Integer, Map<String, DeliveryState>> changes = new LinkedHashMap<>();

    Claimed(OutboxTable table, String key, List<OutboxEntry> entries) {
      this.table = table;
      this.key = key;
      this.entries = entries;
    }

    DeliveryState state(OutboxEntry entry, String destination) {
      return changes.getOrDefault(entry.index(), Map.of()).getOrDefault(destination, entry.state(destination));
    }

    void set(OutboxEntry entry, String destination, DeliveryState state) {
      changes.computeIfAbsent(entry.index(), index -> new HashMap<>()).put(destination, state);
    }
  }

  private Future<Void> poll() {
    List<Future<List<Claimed>>> perTable = tables.stream().map(this::pollTable).toList();
    return Future.all(perTable).compose(done -> {
      List<Claimed> claimed = perTable.stream().flatMap(found -> found.result().stream()).toList();
      if (claimed.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Future<Void>> deliveries = destinations.names().stream()
          .map(name -> deliver(name, claimed)).toList();
      return Future.join(deliveries).transform(delivered -> inGroups(claimed, this::record)).mapEmpty();
    });
  }

  /** Finds the pending items of one table, measures the outbox, and claims what it found. */
  private Future<List<Claimed>> pollTable(OutboxTable table) {
    List<Future<List<Map<String, AttributeValue>>>> shards = Outbox.shards().stream()
        .map(shard -> table.pending(shard, config.batchSize())).toList();
    return Future.all(shards).compose(done -> {
      List<Map<String, AttributeValue>> items = shards.stream().flatMap(shard -> shard.result().stream()).toList();
      measure(items);
      Instant now = clock.instant();
      Instant until = now.plus(config.lease());
      List<Map<String, AttributeValue>> workable = items.stream().filter(this::hasWorkNow).toList();
      // in groups: hundreds of SDK calls started in one go would hold the event loop while they are marshalled
      return inGroups(workable, item -> table.claim(OutboxTable.keyOf(item), owner, now, until)
          .map(claimed -> claimed.map(fresh -> new Claimed(table, OutboxTable.keyOf(fresh),
              OutboxEntry.of(fresh))))
          .otherwise(err -> {
            log.warn("events.relay.claim_failed table={} key={} error={}", table.logicalName(),
                OutboxTable.keyOf(item), err.toString());
            return Optional.empty();
          }))
          .map(claimed -> claimed.stream().flatMap(Optional::stream).toList());
    });
  }

  /** Runs {@code call} over {@code items}, {@value #IN_FLIGHT} at a time; the results in order. */
  private static <T, R> Future<List<R>> inGroups(List<T> items, java.util.function.Function<T, Future<R>> call) {
    List<R> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < items.size(); from += IN_FLIGHT) {
      List<T> group = items.subList(from, Math.min(items.size(), from + IN_FLIGHT));
      chain = chain.compose(previous -> {
        List<Future<R>> calls = group.stream().map(call).toList();
        return Future.all(calls).map(done -> {
          calls.forEach(one -> results.add(one.result()));
          return null;
        });
      });
    }
    return chain.map(done -> results);
  }

  private void measure(List<Map<String, AttributeValue>> items) {
    depth.set(items.size());
    long oldest = 0;
    for (Map<String, AttributeValue> item : items) {
      for (OutboxEntry entry : OutboxEntry.of(item)) {
        boolean waiting = config.destinationsOf(entry.type()).stream()
            .anyMatch(name -> !entry.state(name).finished());
        if (waiting && entry.time().isPresent()) {
          long at = entry.time().get().toEpochMilli();
          oldest = oldest == 0 ? at : Math.min(oldest, at);
        }
      }
    }
    oldestPendingMillis.set(oldest);
  }

  private boolean hasWorkNow(Map<String, AttributeValue> item) {
    Instant now = clock.instant();
    for (OutboxEntry entry : OutboxEntry.of(item)) {
      for (String name : config.destinationsOf(entry.type())) {
        Instant down = downUntil.get(name);
        if (!entry.state(name).finished() && (down == null || !now.isBefore(down))) {
          return true;
        }
      }
    }
    // nothing routed is waiting (an entry of a type no longer routed, say): claim it so it leaves the index
    return OutboxEntry.of(item).stream().allMatch(entry -> config.destinationsOf(entry.type()).stream()
        .allMatch(name -> entry.state(name).finished()));
  }

  /** Rounds of at most one event per item until every item's events for this destination are done or stopped. */
  private Future<Void> deliver(String name, List<Claimed> claimed) {
    Instant down = downUntil.get(name);
    if (down != null && clock.instant().isBefore(down)) {
      return Future.succeededFuture();
    }
    Map<Claimed, OutboxEntry> next = new LinkedHashMap<>();
    for (Claimed item : claimed) {
      nextFor(name, item).ifPresent(entry -> next.put(item, entry));
    }
    if (next.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Claimed> items = new ArrayList<>(next.keySet());
    List<OutboxEntry> entries = new ArrayList<>(next.values());
    List<CloudEvent> events = new ArrayList<>();
    List<Integer> unreadable = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      try {
        events.add(Events.decode(entries.get(i).event().orElseThrow(
            () -> new IllegalArgumentException("the entry has no event"))));
      } catch (IllegalArgumentException e) {
        unreadable.add(i);
        events.add(null);
      }
    }
    for (int i : unreadable) { // an entry no destination can take: parked at once, never blocking the others
      park(name, items.get(i), entries.get(i), "unreadable entry");
    }
    List<Integer> sendable = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) != null) {
        sendable.add(i);
      }
    }
    EventDestination destination = destinations.get(name);
    return destination.publish(sendable.stream().map(events::get).toList())
        .compose(results -> {
          downStreak.remove(name);
          downUntil.remove(name);
          List<Claimed> again = new ArrayList<>();
          for (int k = 0; k < sendable.size(); k++) {
            int i = sendable.get(k);
            Claimed item = items.get(i);
            OutboxEntry entry = entries.get(i);
            DeliveryState before = item.state(entry, name);
            if (results.get(k) instanceof Delivery.Failed failed) {
              counter("webstore.events.failed", name).increment();
              boolean park = !failed.retryable() || before.attempts() + 1 >= config.maxAttempts();
              item.set(entry, name, before.failed(failed.reason(), park));
              if (park) {
                counter("webstore.events.parked", name).increment();
                log.warn("events.relay.parked destination={} event={} attempts={} error={}", name, entry.id(),
                    before.attempts() + 1, failed.reason());
                again.add(item);
              } else {
                counter("webstore.events.retried", name).increment();
              }
            } else {
              counter("webstore.events.published", name).increment();
              item.set(entry, name, before.sent(clock.instant()));
              again.add(item);
            }
          }
          for (int i : unreadable) {
            again.add(items.get(i));
          }
          return again.isEmpty() ? Future.<Void>succeededFuture() : deliver(name, again);
        }, err -> {
          // the destination could not be reached: no attempt is counted; it is left alone for a growing while
          counter("webstore.events.failed", name).increment();
          int streak = downStreak.merge(name, 1, Integer::sum);
          long backoff = Math.min(5_000, config.pollInterval().toMillis() << Math.min(streak, 10));
          downUntil.put(name, clock.instant().plusMillis(backoff / 2 + (long) (Math.random() * backoff / 2)));
          log.warn("events.relay.destination_down destination={} streak={} error={}", name, streak, err.toString());
          return Future.succeededFuture();
        });
  }

  private void park(String name, Claimed item, OutboxEntry entry, String reason) {
    DeliveryState before = item.state(entry, name);
    item.set(entry, name, before.failed(reason, true));
    counter("webstore.events.parked", name).increment();
    log.warn("events.relay.parked destination={} event={} error={}", name, entry.id(), reason);
  }

  /** The item's next event for the destination, unless an earlier one failed in this poll (order per subject). */
  private Optional<OutboxEntry> nextFor(String name, Claimed item) {
    for (OutboxEntry entry : item.entries) {
      if (!config.destinationsOf(entry.type()).contains(name)) {
        continue;
      }
      DeliveryState state = item.state(entry, name);
      if (state.finished()) {
        continue;
      }
      boolean triedNow = item.changes.getOrDefault(entry.index(), Map.of()).containsKey(name);
      return triedNow ? Optional.empty() : Optional.of(entry); // failed in this poll: wait for the next one
    }
    return Optional.empty();
  }

  private Future<Void> record(Claimed item) {
    boolean finished = item.entries.stream().allMatch(entry -> config.destinationsOf(entry.type()).stream()
        .allMatch(name -> item.state(entry, name).finished()));
    return item.table.record(item.key, owner, item.changes, finished, item.entries.size())
        .onSuccess(kept -> {
          if (!kept) {
            log.warn("events.relay.lease_lost table={} key={}", item.table.logicalName(), item.key);
          }
        })
        .otherwise(err -> {
          log.warn("events.relay.record_failed table={} key={} error={}", item.table.logicalName(), item.key,
              err.toString());
          return false;
        })
        .mapEmpty();
  }

  private Counter counter(String name, String destination) {
    return Counter.builder(name).tag("destination", destination).register(meters);
  }
}
