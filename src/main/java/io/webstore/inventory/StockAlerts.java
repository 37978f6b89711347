package io.webstore.inventory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;
import io.webstore.platform.metrics.MeterCache;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces, on the local event bus, when a SKU's availability crosses the low-stock threshold downwards
 * ({@code webstore.inventory.low-stock}) or reaches 0 ({@code webstore.inventory.sold-out}), whatever changed it (a
 * hold, a commit, a set, a feed record, a sweep). It watches {@code events.inventory.changed}, gathers the SKUs named
 * within {@link #FLUSH_MS} and reads their availability from the live ledger in one call, so a flash sale's holds
 * cost one extra ledger read per flush, not per hold. It remembers each SKU's last seen availability (bounded); a SKU
 * first seen at or below the threshold is announced once.
 */
final class StockAlerts {

  private static final Logger log = LoggerFactory.getLogger(StockAlerts.class);
  private static final long FLUSH_MS = 50;
  private static final int MAX_PER_FLUSH = 500;

  private final Vertx vertx;
  private final Function<List<String>, Future<Map<String, Integer>>> availability;
  private final int threshold;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Cache<String, Integer> lastSeen;
  private final Set<String> pending = new LinkedHashSet<>();
  private boolean flushing;
  private long timer = -1;

  StockAlerts(Vertx vertx, Function<List<String>, Future<Map<String, Integer>>> availability, int threshold,
      int remembered, Clock clock, MeterRegistry meters) {
    this.vertx = vertx;
    this.availability = availability;
    this.threshold = threshold;
    this.clock = clock;
    this.meters = meters;
    this.lastSeen = Caffeine.newBuilder().maximumSize(Math.max(remembered, 1)).build();
  }

  /** A SKU whose availability may have changed (called on the verticle's context). */
  void changed(String sku) {
    pending.add(sku);
    if (timer < 0 && !flushing) {
      timer = vertx.setTimer(FLUSH_MS, id -> flush());
    }
  }

  private void flush() {
    timer = -1;
    List<String> skus = pending.stream().limit(MAX_PER_FLUSH).toList();
    skus.forEach(pending::remove);
    if (skus.isEmpty()) {
      return;
    }
    flushing = true;
    availability.apply(skus)
        .onSuccess(available -> available.forEach(this::observe))
        .onFailure(err -> log.debug("inventory.alerts.skipped skus={} error={}", skus.size(), err.toString()))
        .onComplete(done -> {
          flushing = false;
          if (!pending.isEmpty()) {
            timer = vertx.setTimer(FLUSH_MS, id -> flush());
          }
        });
  }

  private void observe(String sku, int available) {
    Integer before = lastSeen.getIfPresent(sku);
    lastSeen.put(sku, available);
    if (available <= 0 && (before == null || before > 0)) {
      publish(EventType.INVENTORY_SOLD_OUT, sku, new JsonObject().put("sku", sku));
    } else if (available <= threshold && (before == null || before > threshold)) {
      publish(EventType.INVENTORY_LOW_STOCK, sku, new JsonObject().put("sku", sku).put("available", available)
          .put("threshold", threshold));
    }
  }

  private void publish(EventType type, String sku, JsonObject data) {
    Events.publishLocally(vertx.eventBus(), Events.create(UUID.randomUUID().toString(), type, sku, clock.instant(),
        data));
    MeterCache.of(meters).counter("webstore.inventory.alerts", "type", type.type()).increment();
    log.info("inventory.alert type={} sku={}", type.type(), sku);
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
