package io.webstore.inventory;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link StockLedger} in memory, with the rules of {@link RedisStockLedger}'s scripts, one method per script:
 * <ul>
 *   <li>a hold covers every line from the buckets with the most spare units first (ties by bucket id) or takes
 *       nothing; a known hold id answers its state (other lines: a mismatch);</li>
 *   <li>{@code beginCommit} pins a held hold (committing) and makes it due for roll-forward, returns the units of one
 *       past its expiry, and names committed, released, expired and unknown holds; {@code finishCommit} mirrors the
 *       stock it is given and drops a held or committing hold's units once, per bucket in version order (a finish
 *       that finds an older version missing waits, its units held, until that version or a newer read arrives);</li>
 *   <li>a release returns a held hold's units once and leaves it in the final state, or forgets it when that is
 *       empty; committing and finished holds are left alone;</li>
 *   <li>a sweep looks at the holds due by now, earliest first, at most a batch: held ones expire (units returned),
 *       committing ones are handed back for roll-forward and due again a roll-forward later, others are dropped from
 *       the schedule; a bucket whose finishes have waited a roll-forward time has its gap skipped;</li>
 *   <li>finished holds (committed, released, expired) are tombstones, forgotten a tombstone time after they finished;
 *       stock mirrors keep the newest version per bucket; availability is on hand minus held, read as at least
 *       zero;</li>
 *   <li>it starts empty and not ready, as a fresh Redis: every operation but the rebuild ones fails with {@link
 *       LedgerNotReady} (telling {@code onNotReady}) until a rebuild that holds the lock (a token with a lease) marks
 *       it ready; {@link #flush} loses everything, marker and lock included, as a Redis flush does.</li>
 * </ul>
 * Time is this JVM's clock, as Redis's is its host's.
 */
final class InMemoryStockLedger implements StockLedger {

  private static final long NEVER = Long.MAX_VALUE;

  /** One SKU's mirrors: on hand, version and held units per bucket, and the finishes waiting for a gap. */
  private static final class Sku {
    final Map<String, Integer> onHand = new LinkedHashMap<>();
    final Map<String, Long> version = new HashMap<>();
    final Map<String, Integer> held = new LinkedHashMap<>();
    /** Bucket → version → the finish waiting for the versions before it. */
    final Map<String, TreeMap<Long, Waiting>> waiting = new HashMap<>();
  }

  /** A commit's finish for one bucket that arrived before an older write of it: applied once the gap closes. */
  private record Waiting(int onHand, int units, long sinceMs) {}

  /** A hold; {@code forgetAtMs} is when a tombstone goes ({@link #NEVER} while it is live). */
  private record HoldEntry(String state, long expiresAtMs, String lines, List<HoldPart> parts, long forgetAtMs) {

    HoldEntry withState(String next) {
      return new HoldEntry(next, expiresAtMs, lines, parts, forgetAtMs);
    }

    HoldEntry finished(String next, long forgetAt) {
      return new HoldEntry(next, expiresAtMs, lines, parts, forgetAt);
    }
  }

  private final long tombstoneMs;
  private final long rollForwardMs;
  private final Runnable onNotReady;
  private final Map<String, Sku> skus = new HashMap<>();
  private final Map<String, Integer> available = new HashMap<>();
  private final Map<String, HoldEntry> holds = new HashMap<>();
  /** Hold id → when the sweeper looks at it (the Redis sorted set). */
  private final Map<String, Long> due = new HashMap<>();
  private String readyMarker;
  private String lockToken;
  private long lockExpiresAtMs;

  InMemoryStockLedger(Duration tombstone, Duration rollForward, Runnable onNotReady) {
    this.tombstoneMs = tombstone.toMillis();
    this.rollForwardMs = rollForward.toMillis();
    this.onNotReady = onNotReady;
  }

  /** Loses everything, the ready marker and the rebuild lock included, as a Redis flush or restart does. */
  synchronized void flush() {
    skus.clear();
    available.clear();
    holds.clear();
    due.clear();
    readyMarker = null;
    lockToken = null;
  }

  @Override
  public synchronized Future<HoldAttempt> hold(String holdId, Duration ttl, String canonicalLines,
      List<HoldLine> lines) {
    return whenReady(() -> {
      HoldEntry known = live(holdId);
      if (known != null) {
        return known.lines().equals(canonicalLines)
            ? new Existing(known.state(), known.expiresAtMs(), known.parts())
            : new Mismatch();
      }
      List<String> shortSkus = new ArrayList<>();
      List<HoldPart> parts = new ArrayList<>();
      for (HoldLine line : lines) {
        Sku sku = skus.getOrDefault(line.sku(), new Sku());
        List<Map.Entry<String, Integer>> free = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Integer> bucket : sku.onHand.entrySet()) {
          int spare = bucket.getValue() - sku.held.getOrDefault(bucket.getKey(), 0);
          total += spare;
          if (spare > 0) {
            free.add(Map.entry(bucket.getKey(), spare));
          }
        }
        if (total < line.quantity()) {
          shortSkus.add(line.sku());
          continue;
        }
        free.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
            .thenComparing(Map.Entry::getKey));
        int want = line.quantity();
        for (Map.Entry<String, Integer> bucket : free) {
          if (want == 0) {
            break;
          }
          int take = Math.min(want, bucket.getValue());
          parts.add(new HoldPart(line.sku(), bucket.getKey(), take));
          want -= take;
        }
      }
      if (!shortSkus.isEmpty()) {
        return new Short(List.copyOf(shortSkus));
      }
      long expiresAtMs = now() + ttl.toMillis();
      parts.forEach(part -> sku(part.sku()).held.merge(part.bucket(), part.quantity(), Integer::sum));
      List<String> changed = refresh(lines.stream().map(HoldLine::sku).toList());
      holds.put(holdId, new HoldEntry("held", expiresAtMs, canonicalLines, List.copyOf(parts), NEVER));
      due.put(holdId, expiresAtMs);
      return new Held(expiresAtMs, List.copyOf(parts), changed);
    });
  }

  @Override
  public synchronized Future<Optional<String>> holdState(String holdId) {
    return whenReady(() -> Optional.ofNullable(live(holdId)).map(HoldEntry::state));
  }

  @Override
  public synchronized Future<CommitStart> beginCommit(String holdId) {
    return whenReady(() -> {
      HoldEntry known = live(holdId);
      if (known == null) {
        return new Missing();
      }
      switch (known.state()) {
        case "committed":
          return new AlreadyCommitted();
        case "released", "expired":
          return new Gone(known.state());
        default:
          break;
      }
      long now = now();
      if (known.state().equals("held") && known.expiresAtMs() <= now) {
        List<String> changed = returnParts(known.parts());
        holds.put(holdId, known.finished("expired", now + tombstoneMs));
        due.remove(holdId);
        return new Expired(changed);
      }
      holds.put(holdId, known.withState("committing"));
      due.put(holdId, now + rollForwardMs); // past this the sweeper hands the commit back: its caller may have crashed
      return new Committing(known.parts(), known.expiresAtMs(), known.lines());
    });
  }

  @Override
  public synchronized Future<List<String>> finishCommit(String holdId, List<BucketStock> stock) {
    return whenReady(() -> {
      List<String> touched = new ArrayList<>();
      HoldEntry known = live(holdId);
      boolean isLive = known != null && (known.state().equals("held") || known.state().equals("committing"));
      Map<String, Integer> units = new LinkedHashMap<>();
      if (isLive) {
        known.parts().forEach(part -> units.put(part.sku() + "\n" + part.bucket(), part.quantity()));
      }
      long now = now();
      for (BucketStock bucket : stock) {
        Integer mine = units.remove(bucket.sku() + "\n" + bucket.bucket());
        mirrorFinish(bucket, mine == null ? 0 : mine, now);
        touched.add(bucket.sku());
      }
      if (isLive) {
        known.parts().forEach(part -> {
          Integer left = units.get(part.sku() + "\n" + part.bucket());
          if (left != null) {
            sku(part.sku()).held.merge(part.bucket(), -left, Integer::sum);
            touched.add(part.sku());
          }
        });
        holds.put(holdId, known.finished("committed", now + tombstoneMs));
        due.remove(holdId);
      }
      return refresh(touched);
    });
  }

  @Override
  public synchronized Future<Released> release(String holdId, String finalState) {
    return whenReady(() -> {
      HoldEntry known = live(holdId);
      if (known == null) {
        return new Released(false, "unknown", List.of());
      }
      if (!known.state().equals("held")) {
        return new Released(false, known.state(), List.of());
      }
      List<String> changed = returnParts(known.parts());
      due.remove(holdId);
      if (finalState.isEmpty()) {
        holds.remove(holdId);
      } else {
        holds.put(holdId, known.finished(finalState, now() + tombstoneMs));
      }
      return new Released(true, "held", changed);
    });
  }

  @Override
  public synchronized Future<Released> abandonCommit(String holdId) {
    return whenReady(() -> {
      HoldEntry known = live(holdId);
      if (known == null) {
        return new Released(false, "unknown", List.of());
      }
      if (!known.state().equals("held") && !known.state().equals("committing")) {
        return new Released(false, known.state(), List.of());
      }
      List<String> changed = returnParts(known.parts());
      due.remove(holdId);
      holds.put(holdId, known.finished("released", now() + tombstoneMs));
      return new Released(true, known.state(), changed);
    });
  }

  @Override
  public synchronized Future<Sweep> sweep(int batch) {
    return whenReady(() -> {
      long now = now();
      List<String> dueNow = due.entrySet().stream()
          .filter(entry -> entry.getValue() <= now)
          .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
          .limit(batch)
          .map(Map.Entry::getKey)
          .toList();
      List<String> expired = new ArrayList<>();
      Set<String> changed = new LinkedHashSet<>();
      List<String> rollForward = new ArrayList<>();
      for (String holdId : dueNow) {
        HoldEntry known = live(holdId);
        String state = known == null ? "" : known.state();
        if (state.equals("held")) {
          changed.addAll(returnParts(known.parts()));
          holds.put(holdId, known.finished("expired", now + tombstoneMs));
          due.remove(holdId);
          expired.add(holdId);
        } else if (state.equals("committing")) {
          due.put(holdId, now + rollForwardMs);
          rollForward.add(holdId);
        } else {
          due.remove(holdId);
        }
      }
      for (Map.Entry<String, Sku> entry : skus.entrySet()) {
        for (String bucket : List.copyOf(entry.getValue().waiting.keySet())) {
          TreeMap<Long, Waiting> gap = entry.getValue().waiting.get(bucket);
          boolean overdue = gap.values().stream().mapToLong(Waiting::sinceMs).min().orElse(NEVER)
              <= now - rollForwardMs;
          if (overdue) {
            Map.Entry<Long, Waiting> newest = gap.lastEntry();
            applyValue(entry.getKey(), bucket, newest.getValue().onHand(), newest.getKey());
            changed.addAll(refresh(List.of(entry.getKey())));
          }
        }
      }
      return new Sweep(expired, List.copyOf(changed), rollForward);
    });
  }

  @Override
  public synchronized Future<List<String>> applyStock(List<BucketStock> stock) {
    if (stock.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return whenReady(() -> refresh(mirror(stock)));
  }

  @Override
  public synchronized Future<Map<String, Integer>> availability(List<String> skuIds) {
    if (skuIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return whenReady(() -> {
      Map<String, Integer> units = new LinkedHashMap<>();
      skuIds.forEach(sku -> units.put(sku, Math.max(0, available.getOrDefault(sku, 0))));
      return units;
    });
  }

  @Override
  public synchronized Future<Map<String, Integer>> heldByBucket(String sku) {
    return whenReady(() -> Map.copyOf(skus.getOrDefault(sku, new Sku()).held));
  }

  // ---- rebuild

  @Override
  public synchronized Future<Boolean> ready() {
    return Future.succeededFuture(readyMarker != null);
  }

  @Override
  public synchronized Future<Optional<String>> lockRebuild(Duration lease) {
    long now = now();
    if (lockToken != null && lockExpiresAtMs > now) {
      return Future.succeededFuture(Optional.empty());
    }
    lockToken = UUID.randomUUID().toString();
    lockExpiresAtMs = now + lease.toMillis();
    return Future.succeededFuture(Optional.of(lockToken));
  }

  @Override
  public synchronized Future<Boolean> clear(String token) {
    if (!owns(token) || readyMarker != null) {
      return Future.succeededFuture(false);
    }
    skus.clear();
    available.clear();
    holds.clear();
    due.clear();
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> load(String token, Duration lease, List<SkuSnapshot> snapshots,
      List<HoldSnapshot> live) {
    if (!owns(token)) {
      return Future.succeededFuture(false);
    }
    lockExpiresAtMs = now() + lease.toMillis();
    for (SkuSnapshot snapshot : snapshots) {
      Map<String, BucketStock> byBucket = new LinkedHashMap<>();
      snapshot.buckets().forEach(b -> byBucket.put(b.bucket(), b));
      snapshot.heldByBucket().keySet().forEach(bucket ->
          byBucket.putIfAbsent(bucket, new BucketStock(snapshot.sku(), bucket, 0, 0)));
      Sku sku = sku(snapshot.sku());
      byBucket.values().forEach(b -> {
        sku.onHand.put(b.bucket(), b.onHand());
        sku.version.put(b.bucket(), b.version());
        sku.held.put(b.bucket(), snapshot.heldByBucket().getOrDefault(b.bucket(), 0));
      });
      refresh(List.of(snapshot.sku()));
    }
    for (HoldSnapshot hold : live) {
      HoldEntry known = live(hold.holdId()); // an existing key keeps its time to live, as HSET does
      holds.put(hold.holdId(), new HoldEntry(hold.state(), hold.expiresAtMs(), hold.lines(),
          List.copyOf(hold.parts()), known == null ? NEVER : known.forgetAtMs()));
      due.put(hold.holdId(), hold.dueAtMs());
    }
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> markReady(String token, String marker) {
    if (!owns(token)) {
      return Future.succeededFuture(false);
    }
    readyMarker = marker;
    lockToken = null;
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> abortRebuild(String token) {
    if (owns(token)) {
      lockToken = null;
    }
    return Future.succeededFuture();
  }

  // ---- plumbing

  private <T> Future<T> whenReady(Supplier<T> operation) {
    if (readyMarker == null) {
      onNotReady.run();
      return Future.failedFuture(new LedgerNotReady());
    }
    return Future.succeededFuture(operation.get());
  }

  private boolean owns(String token) {
    return lockToken != null && lockExpiresAtMs > now() && lockToken.equals(token);
  }

  /** The hold, or null when unknown or its tombstone time has passed (then it is forgotten). */
  private HoldEntry live(String holdId) {
    HoldEntry known = holds.get(holdId);
    if (known != null && known.forgetAtMs() <= now()) {
      holds.remove(holdId);
      return null;
    }
    return known;
  }

  private Sku sku(String id) {
    return skus.computeIfAbsent(id, s -> new Sku());
  }

  /** Mirrors on-hand values newer than the bucket's; answers the SKUs touched, in order, once each. */
  private List<String> mirror(List<BucketStock> stock) {
    Set<String> touched = new LinkedHashSet<>();
    for (BucketStock bucket : stock) {
      applyValue(bucket.sku(), bucket.bucket(), bucket.onHand(), bucket.version());
      touched.add(bucket.sku());
    }
    return List.copyOf(touched);
  }

  /** A value DynamoDB had at {@code version}: applied when newer, with the waiting finishes it covers. */
  private void applyValue(String skuId, String bucket, int onHand, long version) {
    Sku sku = sku(skuId);
    if (version <= sku.version.getOrDefault(bucket, -1L)) {
      return;
    }
    setOnHand(sku, bucket, onHand, version);
    TreeMap<Long, Waiting> gap = sku.waiting.get(bucket);
    if (gap != null) {
      gap.headMap(version, true).values().forEach(covered -> sku.held.merge(bucket, -covered.units(), Integer::sum));
      gap.headMap(version, true).clear();
    }
    drain(sku, bucket);
  }

  /** One part of a commit's finish: applied in version order, its units leaving held with it. */
  private void mirrorFinish(BucketStock bucket, int units, long now) {
    Sku sku = sku(bucket.sku());
    long known = sku.version.getOrDefault(bucket.bucket(), -1L);
    if (bucket.version() <= known) {
      sku.held.merge(bucket.bucket(), -units, Integer::sum);
    } else if (known < 0 || bucket.version() == known + 1) {
      setOnHand(sku, bucket.bucket(), bucket.onHand(), bucket.version());
      sku.held.merge(bucket.bucket(), -units, Integer::sum);
      drain(sku, bucket.bucket());
    } else {
      // finishes of one version share the entry, adding their units (a hold brings its units once)
      sku.waiting.computeIfAbsent(bucket.bucket(), b -> new TreeMap<>())
          .merge(bucket.version(), new Waiting(bucket.onHand(), units, now),
              (kept, more) -> new Waiting(kept.onHand(), kept.units() + more.units(), kept.sinceMs()));
    }
  }

  private void drain(Sku sku, String bucket) {
    TreeMap<Long, Waiting> gap = sku.waiting.get(bucket);
    while (gap != null && !gap.isEmpty() && gap.firstKey() == sku.version.get(bucket) + 1) {
      Map.Entry<Long, Waiting> next = gap.pollFirstEntry();
      setOnHand(sku, bucket, next.getValue().onHand(), next.getKey());
      sku.held.merge(bucket, -next.getValue().units(), Integer::sum);
    }
    if (gap != null && gap.isEmpty()) {
      sku.waiting.remove(bucket);
    }
  }

  private static void setOnHand(Sku sku, String bucket, int onHand, long version) {
    sku.onHand.put(bucket, onHand);
    sku.version.put(bucket, version);
    sku.held.putIfAbsent(bucket, 0);
  }

  /** Gives parts back to their buckets; answers the SKUs whose availability changed. */
  private List<String> returnParts(List<HoldPart> parts) {
    parts.forEach(part -> sku(part.sku()).held.merge(part.bucket(), -part.quantity(), Integer::sum));
    return refresh(parts.stream().map(HoldPart::sku).toList());
  }

  /** Recomputes the SKUs' availability (on hand minus held); answers those whose value changed. */
  private List<String> refresh(List<String> skuIds) {
    List<String> changed = new ArrayList<>();
    for (String id : new LinkedHashSet<>(skuIds)) {
      Sku sku = skus.getOrDefault(id, new Sku());
      int total = sku.onHand.values().stream().mapToInt(Integer::intValue).sum()
          - sku.held.values().stream().mapToInt(Integer::intValue).sum();
      Integer before = available.put(id, total);
      if (before == null || before != total) {
        changed.add(id);
      }
    }
    return changed;
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
