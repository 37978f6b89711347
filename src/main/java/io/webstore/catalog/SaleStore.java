package io.webstore.catalog;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The store of record for flash sales (the {@code sales} table). */
interface SaleStore {

  /** Creates or replaces the sale with this id. */
  Future<Void> put(Sale sale);

  /** Creates the sale only if no sale has its id; completes with false when one already did. */
  Future<Boolean> putIfAbsent(Sale sale);

  /** The sale, or empty when there is none. */
  Future<Optional<Sale>> find(String id);

  /** Every sale that has not ended at {@code now} (running or scheduled). */
  Future<List<Sale>> notEndedAt(Instant now);
}
