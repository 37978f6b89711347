package io.webstore.checkout;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link IdempotencyStore} in memory, with the conditions of {@link DynamoIdempotencyStore}: claim if absent, advance
 * while holding the lease of an unfinished record, finish while holding the lease, take over only the lease that was
 * read, and {@code expired} per shard in lease order. Each operation is atomic, as one conditional write is.
 */
final class InMemoryIdempotencyStore implements IdempotencyStore {

  private final Map<String, IdempotencyRecord> records = new HashMap<>();

  @Override
  public synchronized Future<Optional<IdempotencyRecord>> claim(IdempotencyRecord record) {
    IdempotencyRecord existing = records.putIfAbsent(record.ids().recordId(), record);
    return Future.succeededFuture(Optional.ofNullable(existing));
  }

  @Override
  public synchronized Future<Optional<IdempotencyRecord>> find(String recordId) {
    return Future.succeededFuture(Optional.ofNullable(records.get(recordId)));
  }

  @Override
  public synchronized Future<Optional<IdempotencyRecord>> restart(IdempotencyRecord retryable,
      IdempotencyRecord next) {
    IdempotencyRecord stored = records.get(retryable.ids().recordId());
    if (stored == null || stored.step() != CheckoutStep.RETRYABLE || stored.ids().run() != retryable.ids().run()) {
      return Future.succeededFuture(Optional.ofNullable(stored));
    }
    records.put(next.ids().recordId(), next);
    return Future.succeededFuture(Optional.empty());
  }

  @Override
  public synchronized Future<Void> advance(IdempotencyRecord record, CheckoutStep step, long leaseUntilMs) {
    IdempotencyRecord stored = records.get(record.ids().recordId());
    if (stored == null || stored.finished() || !stored.leaseOwner().equals(record.leaseOwner())) {
      return Future.failedFuture(new LeaseLost(record.ids().recordId()));
    }
    records.put(stored.ids().recordId(), new IdempotencyRecord(stored.ids(), stored.customerId(),
        stored.requestHash(), step, stored.plan(), stored.leaseOwner(), leaseUntilMs, stored.attempts(),
        Optional.empty(), stored.createdAt()));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> finish(IdempotencyRecord record, CheckoutStep step, StoredResponse response) {
    IdempotencyRecord stored = records.get(record.ids().recordId());
    if (stored == null || !stored.leaseOwner().equals(record.leaseOwner())) {
      return Future.failedFuture(new LeaseLost(record.ids().recordId()));
    }
    records.put(stored.ids().recordId(), new IdempotencyRecord(stored.ids(), stored.customerId(),
        stored.requestHash(), step, stored.plan(), stored.leaseOwner(), stored.leaseUntilMs(), stored.attempts(),
        Optional.of(response), stored.createdAt()));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Optional<IdempotencyRecord>> takeOver(IdempotencyRecord record, String owner,
      long leaseUntilMs) {
    IdempotencyRecord stored = records.get(record.ids().recordId());
    if (stored == null || stored.finished() || !stored.leaseOwner().equals(record.leaseOwner())
        || stored.leaseUntilMs() != record.leaseUntilMs()) {
      return Future.succeededFuture(Optional.empty());
    }
    records.put(stored.ids().recordId(), stored.ownedBy(owner, leaseUntilMs));
    return Future.succeededFuture(Optional.of(record.ownedBy(owner, leaseUntilMs)));
  }

  @Override
  public synchronized Future<List<IdempotencyRecord>> expired(long nowMs, int limit) {
    Map<String, List<IdempotencyRecord>> shards = new HashMap<>();
    records.values().stream()
        .filter(record -> !record.finished() && record.leaseUntilMs() < nowMs)
        .sorted(Comparator.comparingLong(IdempotencyRecord::leaseUntilMs))
        .forEach(record -> shards.computeIfAbsent(DynamoIdempotencyStore.shard(record.ids().recordId()),
            shard -> new ArrayList<>()).add(record));
    List<IdempotencyRecord> expired = new ArrayList<>();
    shards.values().forEach(shard -> expired.addAll(shard.subList(0, Math.min(limit, shard.size()))));
    return Future.succeededFuture(expired);
  }
}
