package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link SharedProductCache}, stated once and run against every adapter: an unknown SKU is a miss; a
 * fill after a read lands only when the cache holds nothing (so a slow read never overwrites a newer write); a replace
 * always lands; a deletion leaves a "gone" marker that a later fill does not overwrite; a forget makes SKUs miss again.
 */
@ExtendWith(VertxExtension.class)
abstract class SharedProductCacheContract {

  /** The adapter under test, on a namespace of its own. */
  protected abstract Future<SharedProductCache> createCache();

  private SharedProductCache cache;

  @BeforeEach
  void cache(VertxTestContext test) {
    createCache().onComplete(test.succeeding(created -> {
      cache = created;
      test.completeNow();
    }));
  }

  @Test
  void anUnknownSkuIsAMiss(VertxTestContext test) {
    cache.get(sku()).onComplete(test.succeeding(entry -> test.verify(() -> {
      assertThat(entry).isEqualTo(SharedProductCache.Entry.MISS);
      test.completeNow();
    })));
  }

  @Test
  void aFillOfAnEmptyEntryLandsAndReadsBackWhole(VertxTestContext test) {
    String sku = sku();
    Product product = product(sku, "r1");
    cache.fillIfAbsent(sku, product)
        .compose(done -> cache.get(sku))
        .onComplete(test.succeeding(entry -> test.verify(() -> {
          assertThat(entry.cached()).isTrue();
          assertThat(entry.product()).isEqualTo(product);
          test.completeNow();
        })));
  }

  @Test
  void aFillNeverOverwritesWhatAWriteCachedMeanwhile(VertxTestContext test) {
    String sku = sku();
    Product written = product(sku, "r2");
    cache.replace(sku, written)
        .compose(done -> cache.fillIfAbsent(sku, product(sku, "r1"))) // a slow read of the older revision
        .compose(done -> cache.get(sku))
        .onComplete(test.succeeding(entry -> test.verify(() -> {
          assertThat(entry.product()).isEqualTo(written);
          test.completeNow();
        })));
  }

  @Test
  void aReplaceAlwaysLands(VertxTestContext test) {
    String sku = sku();
    Product newer = product(sku, "r2");
    cache.fillIfAbsent(sku, product(sku, "r1"))
        .compose(done -> cache.replace(sku, newer))
        .compose(done -> cache.get(sku))
        .onComplete(test.succeeding(entry -> test.verify(() -> {
          assertThat(entry.product()).isEqualTo(newer);
          test.completeNow();
        })));
  }

  @Test
  void aDeletionIsRememberedAsGoneAndAFillDoesNotBringTheProductBack(VertxTestContext test) {
    String sku = sku();
    cache.replace(sku, product(sku, "r1"))
        .compose(done -> cache.replace(sku, null))
        .compose(done -> cache.fillIfAbsent(sku, product(sku, "r1"))) // a read from just before the delete
        .compose(done -> cache.get(sku))
        .onComplete(test.succeeding(entry -> test.verify(() -> {
          assertThat(entry).isEqualTo(SharedProductCache.Entry.GONE);
          test.completeNow();
        })));
  }

  @Test
  void aFillOfAnAbsentProductIsCachedAsGone(VertxTestContext test) {
    String sku = sku();
    cache.fillIfAbsent(sku, null)
        .compose(done -> cache.get(sku))
        .onComplete(test.succeeding(entry -> test.verify(() -> {
          assertThat(entry).isEqualTo(SharedProductCache.Entry.GONE);
          test.completeNow();
        })));
  }

  @Test
  void forgottenSkusMissAgainAndOthersStay(VertxTestContext test) {
    String first = sku();
    String second = sku();
    String kept = sku();
    Future.all(cache.replace(first, product(first, "r1")), cache.replace(second, null),
            cache.replace(kept, product(kept, "r1")))
        .compose(done -> cache.forget(List.of(first, second)))
        .compose(done -> cache.forget(List.of()))
        .compose(done -> Future.all(cache.get(first), cache.get(second), cache.get(kept)))
        .onComplete(test.succeeding(entries -> test.verify(() -> {
          assertThat(entries.<SharedProductCache.Entry>resultAt(0)).isEqualTo(SharedProductCache.Entry.MISS);
          assertThat(entries.<SharedProductCache.Entry>resultAt(1)).isEqualTo(SharedProductCache.Entry.MISS);
          assertThat(entries.<SharedProductCache.Entry>resultAt(2).product()).isEqualTo(product(kept, "r1"));
          test.completeNow();
        })));
  }

  @Test
  void anInvalidationIsPublished(VertxTestContext test) {
    cache.publish(new SharedProductCache.Invalidation(SharedProductCache.Invalidation.Kind.PRODUCT, sku(),
            "contract-" + UUID.randomUUID()))
        .onComplete(test.succeedingThenComplete());
  }

  private static Product product(String sku, String revision) {
    return new Product(sku, "Cached mug " + sku, "A mug in the shared cache", Amount.price("12.50", "USD"), "mugs",
        Map.of("brand", "Contract & Co", "capacity_ml", 350), List.of("https://img.example.com/" + sku + ".png"),
        revision, Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static String sku() {
    return "SKU-CACHE-" + UUID.randomUUID();
  }
}
