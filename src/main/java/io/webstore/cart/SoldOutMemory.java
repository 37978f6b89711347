package io.webstore.cart;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * SKUs this process recently found sold out for an add, with the units the ledger then had: a repeat add of more
 * than those units is refused from here ({@link StockCheck}) instead of asking the ledger again, the shape of a flash
 * sale after its last unit went (thousands of buyers a second keep adding the SKU).
 *
 * <p>Shared by every HTTP verticle of a store; each entry lives {@code cart.soldOutMemoryMs} at most, there are
 * {@link #MAX_SKUS} at most, and an entry is dropped as soon as this process hears that the SKU's availability changed
 * ({@link #changed}). Only a shortfall is kept, never a count to sell from: an add is not a hold, so a stale entry
 * refuses an add that could have gone in (for at most the entry's lifetime) and never sells what is not there.
 *
 * <p>A read of the ledger that began before a change and is answered after it must not be remembered, or the entry
 * would outlive the change's drop: {@link #changesOf} is read when the ledger read begins, and {@link #remember}
 * keeps the answer only when no change of a SKU of the same stripe was heard meanwhile.
 */
final class SoldOutMemory {

  /** SKUs remembered at most (the least used go first). */
  static final int MAX_SKUS = 10_000;

  private static final int STRIPES = 256; // a power of two

  private final Cache<String, Integer> shortOf;
  private final AtomicLongArray changes = new AtomicLongArray(STRIPES);
  private final Counter answered;

  SoldOutMemory(Duration lifetime, MeterRegistry meters) {
    this.shortOf = Caffeine.newBuilder().expireAfterWrite(lifetime).maximumSize(MAX_SKUS).build();
    this.answered = Counter.builder("webstore.cart.soldout.remembered")
        .description("adds refused as sold out from the memory of SKUs found sold out, without a ledger read")
        .register(meters);
  }

  /** The units available that the ledger answered when {@code sku} was found short, or null when none is kept. */
  Integer shortOf(String sku) {
    return shortOf.getIfPresent(sku);
  }

  /** Counts an add refused from this memory. */
  void answered() {
    answered.increment();
  }

  /** A mark to take before reading the ledger, for {@link #remember}. */
  long changesOf(String sku) {
    return changes.get(stripe(sku));
  }

  /**
   * Keeps {@code sku} as short of stock with {@code available} units, unless a change of its stripe was heard since
   * {@code changesBefore} was taken.
   */
  void remember(String sku, int available, long changesBefore) {
    int stripe = stripe(sku);
    if (changes.get(stripe) == changesBefore) {
      shortOf.put(sku, available);
      if (changes.get(stripe) != changesBefore) { // a change heard while it was put: it may have missed this entry
        shortOf.invalidate(sku);
      }
    }
  }

  /** The SKU's availability changed (a hold, a release, a restock, a set): forget it. */
  void changed(String sku) {
    changes.incrementAndGet(stripe(sku));
    shortOf.invalidate(sku);
  }

  private static int stripe(String sku) {
    int hash = sku.hashCode();
    return (hash ^ (hash >>> 16)) & (STRIPES - 1);
  }
}
