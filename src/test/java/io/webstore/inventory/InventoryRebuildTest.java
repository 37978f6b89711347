package io.webstore.inventory;

import static io.webstore.inventory.InventoryBus.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.Unavailable;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis loses everything (FLUSHALL) while holds are open and more keep coming. The flush hits the Redis every test
 * class of this JVM shares, so the test is short; other features treat Redis as a rebuildable cache.
 */
@WebstoreTest
class InventoryRebuildTest {

  /** Holds the workers take before the flush, at most (plus one in flight per worker): 10 + 20 + 8 of 60 units. */
  private static final int GRANTED_BEFORE_FLUSH = 20;

  @Shared static Api api;
  static InventoryBus bus;

  @BeforeAll
  static void start() {
    bus = new InventoryBus(api.store().vertx());
  }

  @Test
  void aFlushedLedgerAnswersUnavailableUntilRebuiltAndNeverOversells() {
    String sku = InventoryBus.sku("FLUSH");
    int stock = 60;
    bus.set(sku, stock);
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String holdId = InventoryBus.holdId();
      Engines.await(bus.hold(holdId, line(sku, 1)));
      before.add(holdId);
    }

    AtomicBoolean flushed = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<String> granted = new CopyOnWriteArrayList<>();
    AtomicInteger grantedAfterFlush = new AtomicInteger();
    AtomicInteger unavailableAfterFlush = new AtomicInteger();
    AtomicInteger outOfStockAfterFlush = new AtomicInteger();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      workers.add(holdUntilStopped(sku, stop, flushed, granted, grantedAfterFlush, unavailableAfterFlush,
          outOfStockAfterFlush, unexpected, answered));
    }
    bus.until(Duration.ofSeconds(10), () -> answered.get() >= 16);

    Redis redis = Redis.createClient(api.store().vertx(), Engines.shared().devServices().endpoints().redis());
    try {
      flushed.set(true);
      Engines.await(RedisAPI.api(redis).flushall(List.of()));
    } finally {
      redis.close();
    }
    // runs until the rebuilt ledger has handed out every unit and says so
    bus.until(Duration.ofSeconds(20), () -> outOfStockAfterFlush.get() > 0);
    stop.set(true);
    Engines.await(Future.all(workers));

    assertThat(unexpected).isEmpty();
    assertThat(unavailableAfterFlush.get()).as("holds answered 503 while the ledger was rebuilt").isPositive();
    assertThat(grantedAfterFlush.get()).as("holds granted again once rebuilt").isPositive();
    assertThat(outOfStockAfterFlush.get()).isPositive();
    int successes = before.size() + granted.size();
    assertThat(successes).as("granted holds never exceed the stock").isLessThanOrEqualTo(stock);

    // rebuilt: available = on hand - open holds, every unit accounted for
    JsonObject level = bus.get(sku);
    assertThat(level.getInteger("on_hand")).isEqualTo(stock);
    assertThat(bus.available(sku)).isZero();
    assertThat(level.getInteger("held")).isEqualTo(stock).isGreaterThanOrEqualTo(successes);

    // every hold confirmed before or after the flush is real: each commits, taking its unit once
    List<Future<JsonObject>> commits = new ArrayList<>();
    before.forEach(holdId -> commits.add(bus.commit(holdId)));
    granted.forEach(holdId -> commits.add(bus.commit(holdId)));
    Engines.await(Future.all(commits));
    JsonObject after = bus.get(sku);
    assertThat(after.getInteger("on_hand")).isEqualTo(stock - successes);
    assertThat(after.getInteger("held")).isEqualTo(stock - successes); // holds refused with 503 the ledger had kept
    assertThat(bus.available(sku)).isZero();
  }

  private static Future<Void> holdUntilStopped(String sku, AtomicBoolean stop, AtomicBoolean flushed,
      List<String> granted, AtomicInteger grantedAfterFlush, AtomicInteger unavailableAfterFlush,
      AtomicInteger outOfStockAfterFlush, List<Throwable> unexpected, AtomicInteger answered) {
    if (stop.get()) {
      return Future.succeededFuture();
    }
    if (!flushed.get() && granted.size() >= GRANTED_BEFORE_FLUSH) {
      // units must be left when the ledger is lost, or no hold could be granted after the rebuild: wait for the flush
      return api.store().vertx().timer(5).compose(waited -> holdUntilStopped(sku, stop, flushed, granted,
          grantedAfterFlush, unavailableAfterFlush, outOfStockAfterFlush, unexpected, answered));
    }
    String holdId = InventoryBus.holdId();
    boolean afterFlush = flushed.get();
    return bus.hold(holdId, line(sku, 1)).transform(result -> {
      answered.incrementAndGet();
      if (result.succeeded()) {
        granted.add(holdId);
        if (afterFlush) {
          grantedAfterFlush.incrementAndGet();
        }
      } else if (result.cause() instanceof Unavailable) {
        // a hold sent before the flush may be answered after it: its units were lost with the ledger
        if (flushed.get()) {
          unavailableAfterFlush.incrementAndGet();
        } else {
          unexpected.add(result.cause());
        }
      } else if (result.cause() instanceof OutOfStock) {
        if (afterFlush) {
          outOfStockAfterFlush.incrementAndGet();
        }
      } else {
        unexpected.add(result.cause());
      }
      return holdUntilStopped(sku, stop, flushed, granted, grantedAfterFlush, unavailableAfterFlush,
          outOfStockAfterFlush, unexpected, answered);
    });
  }
}
