package io.webstore.inventory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.webstore.inventory.StockLedger.HoldSnapshot;
import io.webstore.inventory.StockLedger.SkuSnapshot;
import io.webstore.platform.resilience.SingleRun;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a lost live ledger from DynamoDB, one instance at a time (the ledger's lock), while every ledger operation
 * answers "not ready". Order matters:
 * <ol>
 *   <li>take the lock and drop leftovers (refused if another instance finished meanwhile);</li>
 *   <li>read the live hold records first, then the bucket items: a commit that lands in between shows as applied on
 *       its bucket, so its units are counted once (as taken from on hand), never twice;</li>
 *   <li>load buckets (on hand, version, held = parts of live holds not yet applied) and holds (committing ones due
 *       at once, so the sweeper finishes their commits), each chunk only while the lock is still ours;</li>
 *   <li>set the ready marker (refused if a flush dropped the lock meanwhile);</li>
 *   <li>read the buckets again and mirror them: stock written while the ledger was not ready (set, restock, commits
 *       in flight) could not be mirrored then, and versions keep this from regressing anything.</li>
 * </ol>
 */
final class LedgerRebuild {

  private static final Logger log = LoggerFactory.getLogger(LedgerRebuild.class);
  private static final int CHUNK = 200;

  private final StockLedger ledger;
  private final StockRecords stock;
  private final HoldRecords holds;
  private final StockEvents events;
  private final InventorySettings config;
  private final Clock clock;
  private final Counter rebuilds;
  private final SingleRun<Boolean> runs = new SingleRun<>();

  public LedgerRebuild(StockLedger ledger, StockRecords stock, HoldRecords holds, StockEvents events,
      InventorySettings config, Clock clock, MeterRegistry meters) {
    this.ledger = ledger;
    this.stock = stock;
    this.holds = holds;
    this.events = events;
    this.config = config;
    this.clock = clock;
    this.rebuilds = Counter.builder("webstore.inventory.rebuilds").register(meters);
  }

  /** Rebuilds when the ready marker is missing; true when the ledger is ready afterwards (by us or another). */
  public Future<Boolean> ensureReady() {
    // one rebuild per instance at a time (callers meanwhile share it); the lock keeps it to one across instances
    return runs.run(() -> ledger.ready().compose(ready -> ready ? Future.succeededFuture(true) : lockAndRebuild()));
  }

  /** Fire and forget: a not-ready answer starts a rebuild right away instead of at the next sweep. */
  public void trigger() {
    ensureReady().onFailure(err -> log.warn("inventory.rebuild.failed error={}", err.toString()));
  }

  private Future<Boolean> lockAndRebuild() {
    return ledger.lockRebuild(config.rebuildLease()).compose(token -> token.isEmpty()
        ? Future.succeededFuture(false) // another instance rebuilds
        : rebuild(token.get()).recover(err -> ledger.abortRebuild(token.get())
            .transform(aborted -> Future.failedFuture(err))));
  }

  private Future<Boolean> rebuild(String token) {
    long started = System.nanoTime();
    long now = clock.millis();
    log.info("inventory.rebuild.started");
    return ledger.clear(token).compose(cleared -> {
      if (!cleared) {
        return ledger.ready();
      }
      return holds.scanLive(now).compose(live -> stock.scanAll().compose(buckets -> {
        Snapshot snapshot = snapshot(live, buckets, now);
        return load(token, snapshot.skus(), snapshot.holds())
            .compose(loaded -> loaded
                ? ledger.markReady(token, clock.instant().toString())
                : Future.succeededFuture(false))
            .compose(ready -> ready ? catchUp().map(true) : Future.succeededFuture(false))
            .onSuccess(ready -> {
              if (ready) {
                rebuilds.increment();
                log.info("inventory.rebuilt skus={} holds={} ms={}", snapshot.skus().size(), snapshot.holds().size(),
                    (System.nanoTime() - started) / 1_000_000);
              } else {
                log.warn("inventory.rebuild.lost_lock"); // flushed again meanwhile: the next sweep starts over
              }
            });
      }));
    });
  }

  private record Snapshot(List<SkuSnapshot> skus, List<HoldSnapshot> holds) {}

  private static Snapshot snapshot(List<HoldRecord> live, List<BucketSnapshot> buckets, long now) {
    Map<String, Set<String>> appliedByBucket = new HashMap<>();
    Map<String, List<BucketStock>> stockBySku = new HashMap<>();
    for (BucketSnapshot bucket : buckets) {
      appliedByBucket.put(bucket.stock().sku() + "\n" + bucket.stock().bucket(), bucket.appliedHolds());
      stockBySku.computeIfAbsent(bucket.stock().sku(), sku -> new ArrayList<>()).add(bucket.stock());
    }
    Map<String, Map<String, Integer>> heldBySku = new HashMap<>();
    List<HoldSnapshot> holdSnapshots = new ArrayList<>();
    for (HoldRecord record : live) {
      List<HoldPart> unapplied = record.parts().stream()
          .filter(part -> !appliedByBucket.getOrDefault(part.sku() + "\n" + part.bucket(), Set.of())
              .contains(record.holdId()))
          .toList();
      unapplied.forEach(part -> heldBySku.computeIfAbsent(part.sku(), sku -> new HashMap<>())
          .merge(part.bucket(), part.quantity(), Integer::sum));
      boolean committing = record.state() == HoldState.COMMITTING;
      holdSnapshots.add(new HoldSnapshot(record.holdId(), committing ? "committing" : "held", record.expiresAtMs(),
          committing ? now : record.expiresAtMs(), record.lines(), unapplied));
    }
    Set<String> skus = new LinkedHashSet<>(stockBySku.keySet());
    skus.addAll(heldBySku.keySet());
    List<SkuSnapshot> skuSnapshots = skus.stream().map(sku -> new SkuSnapshot(sku,
        stockBySku.getOrDefault(sku, List.of()), heldBySku.getOrDefault(sku, Map.of()))).toList();
    return new Snapshot(skuSnapshots, holdSnapshots);
  }

  private Future<Boolean> load(String token, List<SkuSnapshot> skus, List<HoldSnapshot> holdSnapshots) {
    Future<Boolean> chain = Future.succeededFuture(true);
    int chunks = Math.max(1, Math.max(ceilDiv(skus.size()), ceilDiv(holdSnapshots.size())));
    for (int i = 0; i < chunks; i++) {
      List<SkuSnapshot> skuChunk = slice(skus, i);
      List<HoldSnapshot> holdChunk = slice(holdSnapshots, i);
      chain = chain.compose(ok -> ok
          ? ledger.load(token, config.rebuildLease(), skuChunk, holdChunk)
          : Future.succeededFuture(false));
    }
    return chain;
  }

  /** Second pass, after the marker: mirrors stock that changed while the ledger could not take it. */
  private Future<Void> catchUp() {
    return stock.scanAll().compose(buckets -> {
      List<BucketStock> all = buckets.stream().map(BucketSnapshot::stock).toList();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < ceilDiv(all.size()); i++) {
        List<BucketStock> chunk = slice(all, i);
        chain = chain.compose(done -> ledger.applyStock(chunk).mapEmpty());
      }
      return chain.onSuccess(done -> events.changed(all.stream().map(BucketStock::sku).distinct().toList()));
    });
  }

  private static int ceilDiv(int size) {
    return (size + CHUNK - 1) / CHUNK;
  }

  private static <T> List<T> slice(List<T> list, int chunk) {
    int from = Math.min(list.size(), chunk * CHUNK);
    return list.subList(from, Math.min(list.size(), from + CHUNK));
  }
}
