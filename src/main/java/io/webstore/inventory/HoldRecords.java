package io.webstore.inventory;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Durable hold records (table {@code inventory_holds}), so the live ledger can be rebuilt with its open holds. */
interface HoldRecords {

  /** Writes a new open record; when one exists already, leaves it and returns it. */
  Future<Optional<HoldRecord>> create(HoldRecord record);

  Future<Optional<HoldRecord>> find(String holdId);

  /** Brings an open record in line with the ledger's copy (a retry that re-took the units). */
  Future<Void> refreshOpen(HoldRecord record);

  /**
   * Moves an open (or missing) record to committing with the parts being committed; returns the state it is in
   * afterwards (committing, or committed when a concurrent commit finished first). Fails {@code Conflict} when the
   * record was released.
   */
  Future<HoldState> markCommitting(HoldRecord record);

  /** Committing → committed (a committed record stays so); fails {@code Conflict} when the commit was abandoned. */
  Future<Void> markCommitted(String holdId);

  /**
   * Committing → released: the commit was abandoned because stock fell below what the hold had (a released record
   * stays so); fails {@code Conflict} when it was committed meanwhile.
   */
  Future<Void> markAbandoned(String holdId);

  /** Open → released; any other state is left as it is. */
  Future<Void> markReleased(String holdId);

  /** Deletes the record if it is still open (a hold that the ledger lost before it could be confirmed). */
  Future<Void> deleteIfOpen(String holdId);

  /** Records that still hold units at {@code nowMs}: committing ones, and open ones not yet expired. */
  Future<List<HoldRecord>> scanLive(long nowMs);
}
