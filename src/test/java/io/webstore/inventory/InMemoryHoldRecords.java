package io.webstore.inventory;

import io.vertx.core.Future;
import io.webstore.platform.dynamo.ConditionFailures;
import io.webstore.platform.error.Conflict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link HoldRecords} in memory, with the conditions of {@link DynamoHoldRecords}: create if absent, refresh and
 * release only while open, committing from open, committing or missing (lines and expiry kept when present), committed
 * only when the record exists, delete only while open.
 */
final class InMemoryHoldRecords implements HoldRecords {

  private final Map<String, HoldRecord> records = new HashMap<>();

  @Override
  public synchronized Future<Optional<HoldRecord>> create(HoldRecord record) {
    return Future.succeededFuture(Optional.ofNullable(records.putIfAbsent(record.holdId(), record)));
  }

  @Override
  public synchronized Future<Optional<HoldRecord>> find(String holdId) {
    return Future.succeededFuture(Optional.ofNullable(records.get(holdId)));
  }

  @Override
  public synchronized Future<Void> refreshOpen(HoldRecord record) {
    HoldRecord stored = records.get(record.holdId());
    if (stored != null && stored.state() == HoldState.OPEN) {
      records.put(record.holdId(), new HoldRecord(stored.holdId(), stored.state(), stored.lines(), record.parts(),
          record.expiresAtMs()));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<HoldState> markCommitting(HoldRecord record) {
    HoldRecord stored = records.get(record.holdId());
    if (stored == null || stored.state() == HoldState.OPEN || stored.state() == HoldState.COMMITTING) {
      records.put(record.holdId(), new HoldRecord(record.holdId(), HoldState.COMMITTING,
          stored == null ? record.lines() : stored.lines(), record.parts(),
          stored == null ? record.expiresAtMs() : stored.expiresAtMs()));
      return Future.succeededFuture(HoldState.COMMITTING);
    }
    return stored.state() == HoldState.COMMITTED
        ? Future.succeededFuture(HoldState.COMMITTED)
        : Future.failedFuture(new Conflict("hold " + record.holdId() + " was " + stored.state().wire()
            + "; hold the units again"));
  }

  @Override
  public synchronized Future<Void> markCommitted(String holdId) {
    return moveFromCommitting(holdId, "markCommitted", HoldState.COMMITTED);
  }

  @Override
  public synchronized Future<Void> markAbandoned(String holdId) {
    return moveFromCommitting(holdId, "markAbandoned", HoldState.RELEASED);
  }

  private Future<Void> moveFromCommitting(String holdId, String operation, HoldState target) {
    HoldRecord stored = records.get(holdId);
    if (stored == null) {
      return Future.failedFuture(ConditionFailures.of("inventory_holds", operation, Optional.empty()));
    }
    if (stored.state() != HoldState.COMMITTING && stored.state() != target) {
      return Future.failedFuture(new Conflict("hold " + holdId + " was " + stored.state().wire()
          + "; it cannot become " + target.wire()));
    }
    setState(holdId, target);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> markReleased(String holdId) {
    HoldRecord stored = records.get(holdId);
    if (stored != null && stored.state() == HoldState.OPEN) {
      setState(holdId, HoldState.RELEASED);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> deleteIfOpen(String holdId) {
    records.computeIfPresent(holdId, (id, stored) -> stored.state() == HoldState.OPEN ? null : stored);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<HoldRecord>> scanLive(long nowMs) {
    return Future.succeededFuture(records.values().stream()
        .filter(record -> record.state() == HoldState.COMMITTING
            || record.state() == HoldState.OPEN && record.expiresAtMs() > nowMs)
        .toList());
  }

  private boolean setState(String holdId, HoldState state) {
    HoldRecord stored = records.get(holdId);
    if (stored == null) {
      return false;
    }
    records.put(holdId, new HoldRecord(holdId, state, stored.lines(), stored.parts(), stored.expiresAtMs()));
    return true;
  }
}
