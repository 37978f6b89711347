package io.webstore.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sales that have not ended (running or scheduled), by SKU; whether one runs is decided per read. Changed only on
 * the {@link CatalogReloader}'s owner context; read from any, without locks.
 */
final class SaleIndex {

  private static final Comparator<SaleEntry> BEST_SALE = Comparator
      .comparing((SaleEntry entry) -> entry.sale().price().value())
      .thenComparing(entry -> entry.sale().endsAt())
      .thenComparing(entry -> entry.sale().id());

  private final LiveIndex<SaleEntry, Map<String, List<SaleEntry>>> upcoming = new LiveIndex<>(SaleIndex::bySku);

  /** The sale running now for this product at the lowest price (ties: the one ending first), or null. */
  SaleEntry runningSale(Product product, Instant now) {
    List<SaleEntry> candidates = upcoming.view().get(product.sku());
    if (candidates == null) {
      return null;
    }
    SaleEntry best = null;
    for (SaleEntry candidate : candidates) {
      if (candidate.sale().activeAt(now) && candidate.sale().undercuts(product.price())
          && (best == null || BEST_SALE.compare(candidate, best) < 0)) {
        best = candidate;
      }
    }
    return best;
  }

  LiveIndex<SaleEntry, Map<String, List<SaleEntry>>> entries() {
    return upcoming;
  }

  private static Map<String, List<SaleEntry>> bySku(Map<String, SaleEntry> all) {
    Map<String, List<SaleEntry>> bySku = new HashMap<>();
    all.values().forEach(entry -> bySku.computeIfAbsent(entry.sale().sku(), sku -> new ArrayList<>()).add(entry));
    bySku.replaceAll((sku, list) -> List.copyOf(list));
    return Map.copyOf(bySku);
  }
}
