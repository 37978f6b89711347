package io.webstore.inventory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.webstore.catalog.CatalogClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which SKUs the catalog knows, asked through its door ({@code catalog.price}, which answers for many SKUs at once and
 * leaves unknown ones out). Known SKUs are remembered in a bounded cache, so a feed of a million records over ten
 * thousand SKUs asks about each SKU about once; unknown ones are never remembered (the product may be created next).
 */
final class KnownSkus {

  /** The most SKUs {@code catalog.price} takes in one request. */
  private static final int PER_REQUEST = 200;
  /** A product deleted meanwhile is still taken for known this long (its stock records are harmless). */
  private static final Duration REMEMBER = Duration.ofMinutes(10);

  private final CatalogClient catalog;
  private final Cache<String, Boolean> known;

  KnownSkus(CatalogClient catalog, int capacity) {
    this.catalog = catalog;
    this.known = Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(REMEMBER).build();
  }

  /** The SKUs of {@code skus} that the catalog does not know; fails when the catalog cannot answer. */
  Future<Set<String>> unknown(Collection<String> skus) {
    List<String> ask = skus.stream().distinct().filter(sku -> known.getIfPresent(sku) == null).toList();
    List<Future<Set<String>>> asked = new ArrayList<>();
    for (int from = 0; from < ask.size(); from += PER_REQUEST) {
      List<String> chunk = ask.subList(from, Math.min(ask.size(), from + PER_REQUEST));
      asked.add(catalog.priceJson(chunk).map(reply -> {
        Set<String> missing = new HashSet<>(chunk);
        reply.getJsonObject("items").fieldNames().forEach(sku -> {
          known.put(sku, Boolean.TRUE);
          missing.remove(sku);
        });
        return missing;
      }));
    }
    return Future.all(asked).map(done -> {
      Set<String> unknown = new HashSet<>();
      asked.forEach(chunk -> unknown.addAll(chunk.result()));
      return unknown;
    });
  }
}
