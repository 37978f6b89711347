package io.webstore.inventory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.webstore.inventory.StockLedger.AlreadyCommitted;
import io.webstore.inventory.StockLedger.Committing;
import io.webstore.inventory.StockLedger.Existing;
import io.webstore.inventory.StockLedger.Expired;
import io.webstore.inventory.StockLedger.Gone;
import io.webstore.inventory.StockLedger.Held;
import io.webstore.inventory.StockLedger.HoldAttempt;
import io.webstore.inventory.StockLedger.Short;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.metrics.MeterCache;
import io.webstore.platform.resilience.Lanes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.webstore.platform.bootstrap.InProcess;
import java.util.OptionalLong;
import java.util.Set;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stock ledger's rules over its ports. The live ledger (Redis) decides, atomically, who gets units; DynamoDB
 * keeps what must survive: on-hand counts (decremented exactly once per committed hold part) and hold records (so
 * the live ledger can be rebuilt). Inputs arrive validated by {@link InventoryRequests}.
 */
final class Inventory {

  /**
   * The process's inventory, registered while an inventory verticle runs, so that {@link
   * InventoryClient#availability} reads the live ledger on the caller's event loop: that read is one script call to
   * Redis whichever loop sends it (the ledger's client, gate and meters are built for concurrent use).
   */
  static final InProcess<Inventory> IN_PROCESS = new InProcess<>("inventory");

  private static final Logger log = LoggerFactory.getLogger(Inventory.class);
  /** Redis reads of held units in flight at once while a feed batch is planned. */
  private static final int HELD_READS_IN_FLIGHT = 16;

  private final StockLedger ledger;
  private final StockRecords stock;
  private final HoldRecords holds;
  private final StockEvents events;
  private final InventorySettings config;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Counter expired;

  public Inventory(StockLedger ledger, StockRecords stock, HoldRecords holds, StockEvents events,
      InventorySettings config, Clock clock, MeterRegistry meters) {
    this.ledger = ledger;
    this.stock = stock;
    this.holds = holds;
    this.events = events;
    this.config = config;
    this.clock = clock;
    this.meters = meters;
    this.expired = Counter.builder("webstore.inventory.holds.expired").register(meters);
  }

  /** Units available to hold per SKU, from the live ledger only (unknown SKUs: 0). */
  public Future<Map<String, Integer>> availability(List<String> skus) {
    return ledger.availability(skus.stream().distinct().toList()).recover(Inventory::unavailable);
  }

  /**
   * Holds every line or none. A retry with the same hold id returns the first result and takes nothing more; the
   * same id with other lines is a conflict.
   */
  public Future<Hold> hold(String holdId, List<HoldLine> requested, Optional<Duration> ttl) {
    List<HoldLine> lines = canonical(requested);
    String canonical = lines.stream().map(l -> l.sku() + "*" + l.quantity()).collect(Collectors.joining(","));
    return ledger.hold(holdId, ttl.orElse(config.holdTtl()), canonical, lines)
        .compose(attempt -> settleHold(holdId, canonical, attempt))
        .recover(err -> {
          if (err instanceof LedgerNotReady || err instanceof Unavailable) {
            count("unavailable");
          }
          return unavailable(err);
        });
  }

  private Future<Hold> settleHold(String holdId, String canonical, HoldAttempt attempt) {
    if (attempt instanceof Held held) {
      events.changed(held.changedSkus());
      return confirm(new HoldRecord(holdId, HoldState.OPEN, canonical, held.parts(), held.expiresAtMs()))
          .onSuccess(hold -> count("held"));
    }
    if (attempt instanceof Existing existing) {
      count("replayed");
      return "held".equals(existing.state())
          ? confirm(new HoldRecord(holdId, HoldState.OPEN, canonical, existing.parts(), existing.expiresAtMs()))
          : Future.succeededFuture(new Hold(holdId, Instant.ofEpochMilli(existing.expiresAtMs())));
    }
    if (attempt instanceof Short outOfStock) {
      count("out_of_stock");
      return Future.failedFuture(new OutOfStock("not enough units of " + String.join(", ", outOfStock.skus()),
          new JsonArray(outOfStock.skus())));
    }
    count("conflict");
    return Future.failedFuture(new Conflict("hold " + holdId + " already exists with other lines"));
  }

  /**
   * Makes a hold the live ledger granted durable, then checks that the ledger still has it. If the ledger lost its
   * data meanwhile, a rebuild may have read the hold records before this one landed: then the hold is not counted,
   * so its record is deleted and the caller told to retry, rather than confirming units nobody holds.
   */
  private Future<Hold> confirm(HoldRecord record) {
    String holdId = record.holdId();
    return holds.create(record)
        .recover(err -> ledger.release(holdId, "") // not durable: forget it so a retry starts afresh
            .onSuccess(released -> events.changed(released.changedSkus()))
            .transform(ignored -> Future.failedFuture(err)))
        .compose(existing -> existing.isEmpty()
            ? verify(record)
            : reconcile(record, existing.get()));
  }

  /** The hold id has a durable record from before: the live ledger had lost it (flush) or this is a retry. */
  private Future<Hold> reconcile(HoldRecord granted, HoldRecord existing) {
    String holdId = granted.holdId();
    boolean sameLines = existing.lines().equals(granted.lines());
    if (sameLines && existing.state() == HoldState.OPEN && !existing.expiredAt(clock.millis())) {
      return holds.refreshOpen(granted).compose(done -> verify(granted));
    }
    // finished before: undo what the ledger just took and answer as the first time
    String finalState = !sameLines ? "" : switch (existing.state()) {
      case COMMITTED -> "committed";
      case RELEASED -> "released";
      case OPEN -> "expired";
      case COMMITTING -> ""; // its commit is rolled forward from the record
    };
    return ledger.release(holdId, finalState).compose(released -> {
      events.changed(released.changedSkus());
      return sameLines
          ? Future.succeededFuture(new Hold(holdId, Instant.ofEpochMilli(existing.expiresAtMs())))
          : Future.failedFuture(new Conflict("hold " + holdId + " already exists with other lines"));
    });
  }

  private Future<Hold> verify(HoldRecord record) {
    String holdId = record.holdId();
    return ledger.holdState(holdId)
        .compose(state -> state.isPresent()
            ? Future.succeededFuture(new Hold(holdId, Instant.ofEpochMilli(record.expiresAtMs())))
            : Future.<Hold>failedFuture(new LedgerNotReady()))
        .recover(err -> {
          log.warn("inventory.hold.lost hold={} error={}", holdId, err.toString());
          return holds.deleteIfOpen(holdId).transform(deleted -> Future.failedFuture(
              new Unavailable("the stock ledger was reset while holding; retry shortly")));
        });
  }

  /**
   * Commits a hold's units to DynamoDB (each part exactly once, whatever the retries) and then drops the hold
   * without returning its units. Idempotent: a committed hold commits again as a success.
   */
  public Future<Void> commit(String holdId) {
    return ledger.beginCommit(holdId).compose(start -> {
      if (start instanceof Committing committing) {
        return settleCommit(new HoldRecord(holdId, HoldState.COMMITTING, committing.lines(), committing.parts(),
            committing.expiresAtMs()));
      }
      if (start instanceof AlreadyCommitted) {
        return Future.succeededFuture();
      }
      if (start instanceof Gone gone) {
        return Future.failedFuture(new Conflict("hold " + holdId + " was " + gone.state() + "; hold the units again"));
      }
      if (start instanceof Expired expiredNow) {
        events.changed(expiredNow.changedSkus());
        return Future.failedFuture(new Conflict("hold " + holdId + " expired; hold the units again"));
      }
      return commitFromRecord(holdId);
    }).recover(Inventory::unavailable);
  }

  /** The live ledger does not know the hold (its tombstone aged out, or it was rebuilt): the record decides. */
  private Future<Void> commitFromRecord(String holdId) {
    return holds.find(holdId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new NotFound("hold", holdId));
      }
      HoldRecord record = found.get();
      return switch (record.state()) {
        case COMMITTED -> Future.succeededFuture();
        case COMMITTING -> settleCommit(record);
        case RELEASED -> Future.failedFuture(new Conflict("hold " + holdId + " was released; hold the units again"));
        case OPEN -> Future.failedFuture(new Conflict("hold " + holdId
            + (record.expiredAt(clock.millis()) ? " expired" : " is not live") + "; hold the units again"));
      };
    });
  }

  private Future<Void> settleCommit(HoldRecord record) {
    String holdId = record.holdId();
    return holds.markCommitting(record)
        .compose(state -> state == HoldState.COMMITTED
            // finished by another attempt: read, never decrement again (the applied ids may have been trimmed); a
            // read covers every write before it, so it is mirrored as such first and the finish below is not left
            // waiting for a take whose own finish was lost
            ? currentStock(record.parts()).compose(read -> ledger.applyStock(read.stream().flatMap(Optional::stream)
                    .toList())
                .onSuccess(events::changed)
                .map(read)
                .recover(err -> Future.succeededFuture(read)))
            : takeUnits(record.parts(), holdId))
        .compose(taken -> {
          List<String> shortSkus = new ArrayList<>();
          for (int i = 0; i < taken.size(); i++) {
            if (taken.get(i).isEmpty()) {
              shortSkus.add(record.parts().get(i).sku());
            }
          }
          if (!shortSkus.isEmpty()) {
            // only when stock was set (a recount) below the units held: no unit that is not there is sold
            log.warn("inventory.commit.short hold={} skus={}", holdId, shortSkus);
            return abandonCommit(record, taken, shortSkus);
          }
          List<BucketStock> buckets = taken.stream().map(Optional::orElseThrow).toList();
          return holds.markCommitted(holdId).map(buckets);
        })
        .compose(buckets -> ledger.finishCommit(holdId, buckets)
            // durable already: a rebuilding or unreachable ledger catches up through the rebuild or the sweeper
            .recover(err -> Future.succeededFuture(List.of())))
        .onSuccess(events::changed)
        .mapEmpty();
  }

  /**
   * Gives up a commit that stock no longer covers: the parts already taken (of a hold over several buckets) go back
   * to their buckets once, the record becomes released (so no later attempt can finish it), the live ledger returns
   * the held units, and the caller is told the hold is gone ({@code Conflict}), as for an expired hold: the checkout
   * cancels its order. Giving back comes first, so a crash before the end leaves a committing hold that the sweeper
   * runs through here again (its taken parts answer as taken, the give-back is once per bucket).
   */
  private <T> Future<T> abandonCommit(HoldRecord record, List<Optional<BucketStock>> taken, List<String> shortSkus) {
    String holdId = record.holdId();
    List<Future<BucketStock>> giveBacks = new ArrayList<>();
    for (int i = 0; i < taken.size(); i++) {
      if (taken.get(i).isPresent()) {
        HoldPart part = record.parts().get(i);
        giveBacks.add(stock.addUnits(part.sku(), part.bucket(), part.quantity(), "abandoned-" + holdId)
            .map(StockRecords.Restocked::stock));
      }
    }
    return Future.all(giveBacks)
        .compose(given -> holds.markAbandoned(holdId).map(given))
        .compose(given -> ledger.abandonCommit(holdId)
            .compose(released -> {
              events.changed(released.changedSkus());
              return mirror(giveBacks.stream().map(Future::result).toList());
            })
            // durable already: a rebuild reads the released record and the buckets as they are
            .recover(err -> err instanceof LedgerNotReady ? Future.succeededFuture() : Future.failedFuture(err)))
        .compose(done -> {
          count("commit_abandoned");
          return Future.failedFuture(new Conflict("hold " + holdId + " could not be committed: stock of "
              + String.join(", ", shortSkus) + " fell below the units held; hold the units again"));
        });
  }

  private Future<List<Optional<BucketStock>>> takeUnits(List<HoldPart> parts, String holdId) {
    List<Future<Optional<BucketStock>>> takes = parts.stream().map(part -> stock.takeUnits(part, holdId)).toList();
    return Future.all(takes).map(done -> takes.stream().map(Future::result).toList());
  }

  private Future<List<Optional<BucketStock>>> currentStock(List<HoldPart> parts) {
    List<String> skus = parts.stream().map(HoldPart::sku).distinct().toList();
    List<Future<Optional<List<BucketStock>>>> reads = skus.stream().map(stock::read).toList();
    return Future.all(reads).map(done -> {
      Map<String, BucketStock> byBucket = new HashMap<>();
      reads.forEach(read -> read.result().orElse(List.of())
          .forEach(bucket -> byBucket.put(bucket.sku() + "\n" + bucket.bucket(), bucket)));
      return parts.stream()
          .map(part -> Optional.ofNullable(byBucket.get(part.sku() + "\n" + part.bucket()))
              .or(() -> Optional.of(new BucketStock(part.sku(), part.bucket(), 0, 0))))
          .toList();
    });
  }

  /**
   * Returns a live hold's units; true when this call returned them. A committed, released, expired or unknown hold
   * is left alone.
   */
  public Future<Boolean> release(String holdId) {
    return ledger.release(holdId, "released").compose(released -> {
      events.changed(released.changedSkus());
      boolean isReleased = released.returned() || "released".equals(released.previousState());
      return (isReleased ? holds.markReleased(holdId) : Future.<Void>succeededFuture()).map(released.returned());
    }).recover(Inventory::unavailable);
  }

  /** Adds units to the default warehouse once per operation id; true when this call applied them. */
  public Future<Boolean> restock(String sku, int quantity, String reason, String operationId) {
    String bucket = BucketStock.bucketId(config.defaultWarehouse(), 0); // one item: the operation id guards it
    return stock.addUnits(sku, bucket, quantity, operationId)
        .compose(restocked -> mirror(List.of(restocked.stock())).map(restocked.applied()))
        .onSuccess(applied -> log.info("inventory.restocked sku={} quantity={} reason={} applied={}",
            sku, quantity, reason, applied))
        .recover(Inventory::unavailable);
  }

  /**
   * Sets a SKU's sellable units: {@code onHand} in the default warehouse (spread over its shards, each shard first
   * covering the units held from it) and zero in every other bucket.
   */
  public Future<StockLevel> set(String sku, int onHand) {
    return set(sku, onHand, OptionalLong.empty());
  }

  /**
   * As {@link #set(String, int)}; with a {@code sequence}, ordered against the supply feed: each bucket is written only
   * where its stored sequence is lower (and takes this one), and when no bucket was, nothing changed and the call
   * fails {@code Conflict}. Without one, the buckets are written as they are and their sequences left alone.
   */
  public Future<StockLevel> set(String sku, int onHand, OptionalLong sequence) {
    return Future.all(stock.readSequenced(sku), heldOrNone(sku))
        .compose(both -> {
          List<StockRecords.SequencedBucket> existing = both.resultAt(0);
          Map<String, Integer> held = both.resultAt(1);
          List<BucketStock> buckets = existing.stream().map(StockRecords.SequencedBucket::stock).toList();
          Map<String, Integer> plan = spread(config.defaultWarehouse(), onHand, held, Map.of());
          buckets.forEach(bucket -> plan.putIfAbsent(bucket.bucket(), 0));
          if (sequence.isEmpty()) {
            return stock.setUnits(sku, plan);
          }
          return stock.setUnitsIfNewer(sku, plan, sequence.getAsLong(), unregistered(plan,
              buckets.stream().map(BucketStock::bucket).collect(Collectors.toSet())))
              .compose(written -> written.stream().anyMatch(Optional::isPresent)
                  ? Future.succeededFuture(written.stream().flatMap(Optional::stream).toList())
                  : Future.failedFuture(new Conflict("stale: the stock of " + sku + " was set by sequence "
                      + existing.stream().mapToLong(StockRecords.SequencedBucket::sequence).max().orElse(-1)
                      + " or later in every warehouse; sequence " + sequence.getAsLong() + " changed nothing")));
        })
        .compose(this::mirror)
        .compose(done -> get(sku))
        .onSuccess(level -> log.info("inventory.set sku={} on_hand={} sequence={}", sku, onHand,
            sequence.isPresent() ? sequence.getAsLong() : "none"))
        .recover(Inventory::unavailable);
  }

  /** A supply feed record: {@code onHand} units of {@code sku} in {@code warehouse}, at {@code sequence}. */
  record FeedRecord(String sku, String warehouse, int onHand, long sequence) {}

  /**
   * Applies supply feed records, at most one per SKU and warehouse: each record's {@code onHand} units are spread over
   * its warehouse's shards (each covering first the units held from it), every bucket written only where its stored
   * sequence is lower. The stock the records need is read for the whole batch at once, then at most {@code parallel}
   * records are written at a time, and the live ledger is told once, after every write is durable. A repeat after a
   * crash between bucket writes writes the buckets still behind, with what is left of {@code onHand} after the buckets
   * that already carry the sequence. Per record, in order: true when a bucket was written; false when none was behind
   * (a stale or repeated record). When any write fails the batch fails once no write of it is in flight; its resend
   * applies what is still missing.
   */
  public Future<List<Boolean>> applyFeed(List<FeedRecord> records, int parallel) {
    Map<String, Set<String>> warehouses = new LinkedHashMap<>();
    records.forEach(record -> warehouses.computeIfAbsent(record.sku(), sku -> new HashSet<>()).add(record.warehouse()));
    return Future.all(stock.readForFeed(warehouses), heldForSpread(List.copyOf(warehouses.keySet())))
        .compose(both -> {
          Map<String, StockRecords.FeedView> views = both.resultAt(0);
          Map<String, Map<String, Integer>> held = both.resultAt(1);
          boolean[] applied = new boolean[records.size()];
          List<BucketStock> mirrored = new ArrayList<>();
          List<Integer> indexes = new ArrayList<>();
          for (int i = 0; i < records.size(); i++) {
            indexes.add(i);
          }
          return Lanes.each(indexes, parallel, i -> {
                FeedRecord record = records.get(i);
                StockRecords.FeedView view = views.getOrDefault(record.sku(),
                    new StockRecords.FeedView(Set.of(), List.of()));
                return applyFeed(record, view, held.getOrDefault(record.sku(), Map.of()), mirrored)
                    .onSuccess(written -> applied[i] = written);
              })
              .compose(done -> mirror(newest(mirrored)))
              .map(done -> {
                List<Boolean> answers = new ArrayList<>();
                for (boolean written : applied) {
                  answers.add(written);
                }
                return answers;
              });
        })
        .recover(Inventory::unavailable);
  }

  /** One record's writes; adds its warehouse's buckets as read, and those it wrote, to {@code mirrored}. */
  private Future<Boolean> applyFeed(FeedRecord record, StockRecords.FeedView view, Map<String, Integer> held,
      List<BucketStock> mirrored) {
    Map<String, Integer> done = new HashMap<>(); // buckets of this warehouse that already have this record
    Set<String> ahead = new HashSet<>(); // buckets that a newer record wrote: not this record's to touch
    List<String> others = new ArrayList<>(); // this warehouse's buckets beyond the configured shards
    for (StockRecords.SequencedBucket bucket : view.buckets()) {
      if (!bucket.stock().warehouse().equals(record.warehouse())) {
        continue;
      }
      if (bucket.sequence() == record.sequence()) {
        done.put(bucket.stock().bucket(), bucket.stock().onHand());
      } else if (bucket.sequence() > record.sequence()) {
        ahead.add(bucket.stock().bucket());
      }
      others.add(bucket.stock().bucket());
      // the warehouse's buckets as read go to the live ledger too (versioned: never over a newer value), so the
      // buckets an interrupted delivery wrote but never mirrored are mirrored by its resend
      mirrored.add(bucket.stock());
    }
    Map<String, Integer> plan = spread(record.warehouse(), record.onHand(), held, done);
    others.forEach(bucket -> plan.putIfAbsent(bucket, 0));
    done.keySet().forEach(plan::remove);
    ahead.forEach(plan::remove);
    if (plan.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return stock.setUnitsIfNewer(record.sku(), plan, record.sequence(), unregistered(plan, view.registered()))
        .map(written -> {
          List<BucketStock> landed = written.stream().flatMap(Optional::stream).toList();
          mirrored.addAll(landed);
          return !landed.isEmpty();
        });
  }

  /**
   * Units held per bucket of each SKU, read only where a warehouse has several shards to spread over: with one shard
   * the whole count lands in it whatever is held.
   */
  private Future<Map<String, Map<String, Integer>>> heldForSpread(List<String> skus) {
    if (config.shards() == 1) {
      return Future.succeededFuture(Map.of());
    }
    Map<String, Map<String, Integer>> held = new HashMap<>();
    return Lanes.each(skus, HELD_READS_IN_FLIGHT, sku -> heldOrNone(sku).onSuccess(bySku -> held.put(sku, bySku)))
        .map(done -> held);
  }

  /** Of several readings of the same bucket, the newest (highest version). */
  private static List<BucketStock> newest(List<BucketStock> buckets) {
    Map<String, BucketStock> newest = new LinkedHashMap<>();
    for (BucketStock bucket : buckets) {
      newest.merge(bucket.sku() + "\n" + bucket.bucket(), bucket,
          (a, b) -> b.version() > a.version() ? b : a);
    }
    return List.copyOf(newest.values());
  }

  private Future<Map<String, Integer>> heldOrNone(String sku) {
    return ledger.heldByBucket(sku).recover(err -> err instanceof LedgerNotReady
        ? Future.succeededFuture(Map.of())
        : Future.failedFuture(err));
  }

  /** The buckets of {@code plan} not yet on the SKU's root. */
  private static List<String> unregistered(Map<String, Integer> plan, Set<String> registered) {
    return plan.keySet().stream().filter(bucket -> !registered.contains(bucket)).toList();
  }

  /**
   * {@code onHand} units of a warehouse over its configured shards: each shard first covers the units held from it,
   * the rest is spread evenly. Shards in {@code fixed} keep their units (already written with this count) and are
   * counted against {@code onHand} first.
   */
  private Map<String, Integer> spread(String warehouse, int onHand, Map<String, Integer> held,
      Map<String, Integer> fixed) {
    Map<String, Integer> plan = new LinkedHashMap<>();
    int remaining = onHand;
    for (int units : fixed.values()) {
      remaining -= units;
    }
    remaining = Math.max(remaining, 0);
    List<String> open = new ArrayList<>();
    for (int shard = 0; shard < config.shards(); shard++) {
      String bucket = BucketStock.bucketId(warehouse, shard);
      if (fixed.containsKey(bucket)) {
        plan.put(bucket, fixed.get(bucket));
      } else {
        open.add(bucket);
      }
    }
    for (String bucket : open) {
      int cover = Math.min(Math.max(held.getOrDefault(bucket, 0), 0), remaining);
      plan.put(bucket, cover);
      remaining -= cover;
    }
    int spread = remaining;
    for (int i = 0; i < open.size(); i++) {
      plan.merge(open.get(i), spread / open.size() + (i < spread % open.size() ? 1 : 0), Integer::sum);
    }
    return plan;
  }

  /** Mirrors durable stock into the live ledger; a rebuilding ledger reads it itself once marked ready. */
  private Future<Void> mirror(List<BucketStock> buckets) {
    return ledger.applyStock(buckets)
        .onSuccess(events::changed)
        .<Void>mapEmpty()
        .recover(err -> err instanceof LedgerNotReady ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /** On hand per warehouse (durable), held (live) and available (on hand − held, at least 0). */
  public Future<StockLevel> get(String sku) {
    return Future.all(stock.read(sku), ledger.heldByBucket(sku)).map(both -> {
      Optional<List<BucketStock>> buckets = both.resultAt(0);
      Map<String, Integer> held = both.resultAt(1);
      if (buckets.isEmpty()) {
        throw new NotFound("stock of SKU", sku);
      }
      Map<String, Integer> warehouses = new TreeMap<>();
      int onHand = 0;
      for (BucketStock bucket : buckets.get()) {
        warehouses.merge(bucket.warehouse(), bucket.onHand(), Integer::sum);
        onHand += bucket.onHand();
      }
      int heldUnits = held.values().stream().mapToInt(Integer::intValue).sum();
      // stock set or recounted below the units held: nothing is available, never less
      return new StockLevel(sku, Map.copyOf(warehouses), onHand, heldUnits, Math.max(onHand - heldUnits, 0));
    }).recover(Inventory::unavailable);
  }

  /** One sweeper pass: returns expired holds' units and rolls forward stuck commits; the number handled. */
  public Future<Integer> sweep() {
    return ledger.sweep(config.sweepBatch()).map(sweep -> {
      events.changed(sweep.changedSkus());
      expired.increment(sweep.expiredHolds().size());
      sweep.rollForward().forEach(holdId -> commit(holdId)
          .onSuccess(done -> log.info("inventory.commit.rolled_forward hold={}", holdId))
          .onFailure(err -> log.warn("inventory.commit.roll_forward_failed hold={} error={}", holdId, err.toString())));
      return sweep.expiredHolds().size() + sweep.rollForward().size();
    });
  }

  private static List<HoldLine> canonical(List<HoldLine> lines) {
    Map<String, Integer> bySku = new TreeMap<>();
    lines.forEach(line -> bySku.merge(line.sku(), line.quantity(), Integer::sum));
    return bySku.entrySet().stream().map(e -> new HoldLine(e.getKey(), e.getValue())).toList();
  }

  private void count(String outcome) {
    MeterCache.of(meters).counter("webstore.inventory.holds", "outcome", outcome).increment();
  }

  private static <T> Future<T> unavailable(Throwable err) {
    return Future.failedFuture(err instanceof LedgerNotReady
        ? new Unavailable("inventory is being rebuilt; retry shortly")
        : err);
  }
}
