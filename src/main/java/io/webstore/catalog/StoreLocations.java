package io.webstore.catalog;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/** The physical stores (the {@code stores} table), seeded with the demo data. */
interface StoreLocations {

  /** Every store. */
  Future<List<StoreLocation>> all();

  /** The ids of every store. */
  Future<Set<String>> ids();

  /** Writes the stores in batches, unconditionally (callers write only the ones they found missing). */
  Future<Void> putAll(List<StoreLocation> stores);
}
