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

/**
 * {@link StockLedger}'s hold path in memory, with the rules of {@link RedisStockLedger}'s scripts ({@code hold},
 * {@code release}, {@code apply_stock}, {@code availability}, {@code levels}): a hold covers every line from the
 * buckets with the most spare units first (ties by bucket id) or takes nothing, a known hold id answers its state,
 * a release returns held units once, stock mirrors keep the newest version per bucket, and availability is on-hand
 * minus held, read as at least zero. Always ready. Commit, sweep and rebuild are not modelled yet: they fail with
 * {@link UnsupportedOperationException}.
 */
final class InMemoryStockLedger implements StockLedger {

  /** One SKU's mirrors: on hand, version and held units per bucket. */
  private static final class Sku {
    final Map<String, Integer> onHand = new LinkedHashMap<>();
    final Map<String, Long> version = new HashMap<>();
    final Map<String, Integer> held = new LinkedHashMap<>();
  }

  private record HoldEntry(String state, long expiresAtMs, String lines, List<HoldPart> parts) {}

  private final Map<String, Sku> skus = new HashMap<>();
  private final Map<String, Integer> available = new HashMap<>();
  private final Map<String, HoldEntry> holds = new HashMap<>();

  @Override
  public synchronized Future<HoldAttempt> hold(String holdId, Duration ttl, String canonicalLines,
      List<HoldLine> lines) {
    HoldEntry known = holds.get(holdId);
    if (known != null) {
      return Future.succeededFuture(known.lines().equals(canonicalLines)
          ? new Existing(known.state(), known.expiresAtMs(), known.parts())
          : new Mismatch());
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
      return Future.succeededFuture(new Short(List.copyOf(shortSkus)));
    }
    long expiresAtMs = System.currentTimeMillis() + ttl.toMillis();
    parts.forEach(part -> skus.computeIfAbsent(part.sku(), s -> new Sku()).held.merge(part.bucket(), part.quantity(),
        Integer::sum));
    List<String> changed = refresh(lines.stream().map(HoldLine::sku).toList());
    holds.put(holdId, new HoldEntry("held", expiresAtMs, canonicalLines, List.copyOf(parts)));
    return Future.succeededFuture(new Held(expiresAtMs, List.copyOf(parts), changed));
  }

  @Override
  public synchronized Future<Optional<String>> holdState(String holdId) {
    return Future.succeededFuture(Optional.ofNullable(holds.get(holdId)).map(HoldEntry::state));
  }

  @Override
  public synchronized Future<Released> release(String holdId, String finalState) {
    HoldEntry known = holds.get(holdId);
    if (known == null) {
      return Future.succeededFuture(new Released(false, "unknown", List.of()));
    }
    if (!known.state().equals("held")) {
      return Future.succeededFuture(new Released(false, known.state(), List.of()));
    }
    Set<String> touched = new LinkedHashSet<>();
    known.parts().forEach(part -> {
      skus.computeIfAbsent(part.sku(), s -> new Sku()).held.merge(part.bucket(), -part.quantity(), Integer::sum);
      touched.add(part.sku());
    });
    List<String> changed = refresh(List.copyOf(touched));
    if (finalState.isEmpty()) {
      holds.remove(holdId);
    } else {
      holds.put(holdId, new HoldEntry(finalState, known.expiresAtMs(), known.lines(), known.parts()));
    }
    return Future.succeededFuture(new Released(true, "held", changed));
  }

  @Override
  public synchronized Future<List<String>> applyStock(List<BucketStock> stock) {
    Set<String> touched = new LinkedHashSet<>();
    for (BucketStock bucket : stock) {
      Sku sku = skus.computeIfAbsent(bucket.sku(), s -> new Sku());
      if (bucket.version() > sku.version.getOrDefault(bucket.bucket(), -1L)) {
        sku.onHand.put(bucket.bucket(), bucket.onHand());
        sku.version.put(bucket.bucket(), bucket.version());
        sku.held.putIfAbsent(bucket.bucket(), 0);
      }
      touched.add(bucket.sku());
    }
    return Future.succeededFuture(refresh(List.copyOf(touched)));
  }

  @Override
  public synchronized Future<Map<String, Integer>> availability(List<String> skuIds) {
    Map<String, Integer> units = new LinkedHashMap<>();
    skuIds.forEach(sku -> units.put(sku, Math.max(0, available.getOrDefault(sku, 0))));
    return Future.succeededFuture(units);
  }

  @Override
  public synchronized Future<Map<String, Integer>> heldByBucket(String sku) {
    return Future.succeededFuture(Map.copyOf(skus.getOrDefault(sku, new Sku()).held));
  }

  @Override
  public Future<Boolean> ready() {
    return Future.succeededFuture(true);
  }

  @Override
  public Future<CommitStart> beginCommit(String holdId) {
    return notModelled();
  }

  @Override
  public Future<List<String>> finishCommit(String holdId, List<BucketStock> stock) {
    return notModelled();
  }

  @Override
  public Future<Sweep> sweep(int batch) {
    return notModelled();
  }

  @Override
  public Future<Optional<String>> lockRebuild(Duration lease) {
    return notModelled();
  }

  @Override
  public Future<Boolean> clear(String token) {
    return notModelled();
  }

  @Override
  public Future<Boolean> load(String token, Duration lease, List<SkuSnapshot> snapshots, List<HoldSnapshot> live) {
    return notModelled();
  }

  @Override
  public Future<Boolean> markReady(String token, String marker) {
    return notModelled();
  }

  @Override
  public Future<Void> abortRebuild(String token) {
    return notModelled();
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

  private static <T> Future<T> notModelled() {
    return Future.failedFuture(new UnsupportedOperationException("not modelled by the in-memory ledger yet"));
  }
}
