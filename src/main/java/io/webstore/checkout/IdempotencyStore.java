package io.webstore.checkout;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Idempotency records, each written only by single-item conditional operations. An unfinished record belongs to the
 * holder of its lease; every change but {@link #takeOver} requires the caller to still hold it and fails {@link
 * LeaseLost} otherwise.
 */
interface IdempotencyStore {

  /** Creates the record if its key is new: empty then, else the record that exists. */
  Future<Optional<IdempotencyRecord>> claim(IdempotencyRecord record);

  Future<Optional<IdempotencyRecord>> find(String recordId);

  /**
   * Starts the next run of a record that finished {@link CheckoutStep#RETRYABLE}: replaces it with {@code next} (the same
   * record id, the next run's ids, a new lease or a stored answer) if it is still at {@code retryable}'s run and
   * retryable. Empty when this call started the run, else the record as it is now (another retry started it first).
   */
  Future<Optional<IdempotencyRecord>> restart(IdempotencyRecord retryable, IdempotencyRecord next);

  /**
   * Records the step reached and extends the lease to {@code leaseUntilMs}. The checkout does not call it (its steps
   * cost no write on the record; see {@link CheckoutStep}); kept for a flow that must outlive its lease.
   */
  Future<Void> advance(IdempotencyRecord record, CheckoutStep step, long leaseUntilMs);

  /** Finishes the record with its stored response; it leaves the unfinished index. */
  Future<Void> finish(IdempotencyRecord record, CheckoutStep step, StoredResponse response);

  /**
   * Takes over an unfinished record whose lease expired, if nobody changed it since it was read; the record under the
   * new lease, or empty when someone else got it.
   */
  Future<Optional<IdempotencyRecord>> takeOver(IdempotencyRecord record, String owner, long leaseUntilMs);

  /** Unfinished records whose lease ended before {@code nowMs}, at most {@code limit} per index shard. */
  Future<List<IdempotencyRecord>> expired(long nowMs, int limit);
}
