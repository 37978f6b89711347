package io.webstore.inventory;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live stock ledger: per-bucket on-hand mirrors, held units and holds, changed only by atomic all-or-nothing
 * operations. It is rebuildable from DynamoDB; while it is not (its ready marker is missing) every operation except
 * the rebuild ones fails with {@link LedgerNotReady}. An unreachable ledger fails with {@code Unavailable}.
 */
interface StockLedger {

  /** Outcome of {@link #hold}. */
  sealed interface HoldAttempt permits Held, Existing, Short, Mismatch {}

  /** Units taken now; {@code changedSkus} lost availability. */
  record Held(long expiresAtMs, List<HoldPart> parts, List<String> changedSkus) implements HoldAttempt {}

  /** The hold id is already known (a retry): nothing was taken. {@code state} is the ledger's state of it. */
  record Existing(String state, long expiresAtMs, List<HoldPart> parts) implements HoldAttempt {}

  /** Some lines could not be covered; nothing was taken. */
  record Short(List<String> skus) implements HoldAttempt {}

  /** The hold id is known with other lines. */
  record Mismatch() implements HoldAttempt {}

  /** Outcome of {@link #beginCommit}. */
  sealed interface CommitStart permits Committing, AlreadyCommitted, Gone, Expired, Missing {}

  /** The hold is now (or already was) being committed; its units are pinned. */
  record Committing(List<HoldPart> parts, long expiresAtMs, String lines) implements CommitStart {}

  record AlreadyCommitted() implements CommitStart {}

  /** Released or expired before. */
  record Gone(String state) implements CommitStart {}

  /** It had just expired: its units were returned now. */
  record Expired(List<String> changedSkus) implements CommitStart {}

  /** The ledger does not know the hold. */
  record Missing() implements CommitStart {}

  /** Outcome of {@link #release}: whether units were returned, and the hold's state before. */
  record Released(boolean returned, String previousState, List<String> changedSkus) {}

  /** Outcome of one {@link #sweep} pass. */
  record Sweep(List<String> expiredHolds, List<String> changedSkus, List<String> rollForward) {}

  /** A SKU's buckets as the rebuild loads them. */
  record SkuSnapshot(String sku, List<BucketStock> buckets, Map<String, Integer> heldByBucket) {}

  /** A live hold as the rebuild loads it; {@code dueAtMs} is when the sweeper looks at it. */
  record HoldSnapshot(String holdId, String state, long expiresAtMs, long dueAtMs, String lines,
      List<HoldPart> parts) {}

  Future<HoldAttempt> hold(String holdId, Duration ttl, String canonicalLines, List<HoldLine> lines);

  /** The ledger's state of a hold, empty when it does not know it. */
  Future<Optional<String>> holdState(String holdId);

  Future<CommitStart> beginCommit(String holdId);

  /**
   * Mirrors the committed buckets' stock and drops the hold's held units once; returns changed SKUs. Each value of
   * {@code stock} is DynamoDB's for a bucket of the hold at a version that covers the hold's take there (the take's own
   * result, or a read after it). Per bucket the values are mirrored in version order: when an older write of the bucket
   * (another hold's take) has not been mirrored yet, this one waits for it, its units still held, so that no taken unit
   * is ever off on hand and held at once. A newer value from {@link #applyStock} covers what waits, and a sweep skips a
   * gap still open after the roll-forward time (a write whose mirror was lost).
   */
  Future<List<String>> finishCommit(String holdId, List<BucketStock> stock);

  /**
   * Returns a held hold's units and leaves it in {@code finalState} ({@code released}, {@code committed}, ...), or
   * forgets it entirely when {@code finalState} is empty.
   */
  Future<Released> release(String holdId, String finalState);

  /**
   * Returns the units of a hold being committed whose commit was abandoned (its stock fell below what it holds) and
   * leaves it released; a hold in any other state but held is left alone, as by {@link #release}.
   */
  Future<Released> abandonCommit(String holdId);

  Future<Sweep> sweep(int batch);

  /** Mirrors stock read from DynamoDB, keeping the newest version per bucket; returns changed SKUs. */
  Future<List<String>> applyStock(List<BucketStock> stock);

  /** Units available to hold, per SKU (unknown SKUs: 0). */
  Future<Map<String, Integer>> availability(List<String> skus);

  /** Units held per bucket of one SKU. */
  Future<Map<String, Integer>> heldByBucket(String sku);

  // ---- rebuild

  Future<Boolean> ready();

  /** Takes the rebuild lock; the token proves ownership, empty when another instance holds it. */
  Future<Optional<String>> lockRebuild(Duration lease);

  /** Drops leftovers; false when the lock was lost or the ledger is ready already. */
  Future<Boolean> clear(String token);

  /** Loads a chunk; false when the lock was lost. */
  Future<Boolean> load(String token, Duration lease, List<SkuSnapshot> skus, List<HoldSnapshot> holds);

  /** Marks the ledger ready and lets go of the lock; false when the lock was lost. */
  Future<Boolean> markReady(String token, String marker);

  Future<Void> abortRebuild(String token);
}
