package io.webstore.inventory;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.error.Unavailable;
import io.webstore.testing.BusContract;
import io.webstore.testing.Engines;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash injection for the inventory's feed tests: stock records that stop a sequenced write of an armed SKU right
 * after its first bucket, as if the process died between shard writes. The first bucket's write lands (with the
 * buckets registered on the SKU's root first, as in a real write); the other buckets are never sent and the call
 * fails. Each arm fires once. Production code knows nothing of it: a test starts a store whose inventory runs over
 * these records ({@link #startStore}).
 */
final class InventoryFaults {

  private final Set<String> armed = ConcurrentHashMap.newKeySet();
  private final AtomicInteger fired = new AtomicInteger();

  /** The next sequenced write of {@code sku} stops after its first bucket. */
  void crashAfterFirstShard(String sku) {
    armed.add(sku);
  }

  /** How many writes were stopped so far. */
  int fired() {
    return fired.get();
  }

  /** A store on the shared engines with {@code overrides} above the test config, its inventory over these records. */
  WebStore startStore(JsonObject overrides) {
    List<Feature> features = Features.all().stream()
        .map(feature -> feature instanceof InventoryFeature ? new InventoryFeature(this::wrap) : feature)
        .toList();
    WebStore store = Engines.await(WebStore.start(Path.of("conf"), Map.of("WEBSTORE_PROFILE", "dev"),
        Engines.shared().overrides().mergeIn(overrides, true), features));
    BusContract.shared().watch(store.vertx());
    return store;
  }

  private StockRecords wrap(StockRecords records) {
    return new StockRecords() {
      @Override
      public Future<Optional<BucketStock>> takeUnits(HoldPart part, String holdId) {
        return records.takeUnits(part, holdId);
      }

      @Override
      public Future<Restocked> addUnits(String sku, String bucket, int quantity, String operationId) {
        return records.addUnits(sku, bucket, quantity, operationId);
      }

      @Override
      public Future<List<BucketStock>> setUnits(String sku, Map<String, Integer> onHandByBucket) {
        return records.setUnits(sku, onHandByBucket);
      }

      @Override
      public Future<List<Optional<BucketStock>>> setUnitsIfNewer(String sku, Map<String, Integer> onHandByBucket,
          long sequence, List<String> register) {
        if (onHandByBucket.size() < 2 || !armed.remove(sku)) {
          return records.setUnitsIfNewer(sku, onHandByBucket, sequence, register);
        }
        Map.Entry<String, Integer> first = onHandByBucket.entrySet().iterator().next();
        Map<String, Integer> firstOnly = new LinkedHashMap<>();
        firstOnly.put(first.getKey(), first.getValue());
        return records.setUnitsIfNewer(sku, firstOnly, sequence, register).compose(written -> {
          fired.incrementAndGet();
          return Future.failedFuture(new Unavailable("stopped after writing bucket " + first.getKey()
              + " (test fault)"));
        });
      }

      @Override
      public Future<List<SequencedBucket>> readSequenced(String sku) {
        return records.readSequenced(sku);
      }

      @Override
      public Future<Optional<List<BucketStock>>> read(String sku) {
        return records.read(sku);
      }

      @Override
      public Future<List<BucketSnapshot>> scanAll() {
        return records.scanAll();
      }
    };
  }
}
