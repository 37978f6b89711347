package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link StoreLocations}, stated once and run against every adapter: stores written in bulk (more
 * than one batch) all read back whole, a store written again is replaced, and the ids name every store.
 */
@ExtendWith(VertxExtension.class)
abstract class StoreLocationsContract {

  /** The adapter under test; it may hold stores of other tests, but none with this contract's ids. */
  protected abstract Future<StoreLocations> createStore();

  private StoreLocations store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void storesWrittenInBulkAllReadBackWhole(VertxTestContext test) {
    List<StoreLocation> stores = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // more than one batch
      stores.add(location(id(), "Store " + i, 41.5 + i / 100.0));
    }
    store.putAll(stores)
        .compose(done -> store.all())
        .compose(all -> {
          test.verify(() -> assertThat(all).containsAll(stores));
          return store.ids();
        })
        .onComplete(test.succeeding(ids -> test.verify(() -> {
          assertThat(ids).containsAll(stores.stream().map(StoreLocation::id).toList());
          test.completeNow();
        })));
  }

  @Test
  void aStoreWrittenAgainIsReplaced(VertxTestContext test) {
    String id = id();
    StoreLocation moved = location(id, "Moved store", -33.8688);
    store.putAll(List.of(location(id, "First store", 40.7128)))
        .compose(done -> store.putAll(List.of(moved)))
        .compose(done -> store.all())
        .onComplete(test.succeeding(all -> test.verify(() -> {
          assertThat(all.stream().filter(location -> location.id().equals(id))).containsExactly(moved);
          test.completeNow();
        })));
  }

  @Test
  void writingNoStoresWritesNothing(VertxTestContext test) {
    store.putAll(List.of()).onComplete(test.succeedingThenComplete());
  }

  private static StoreLocation location(String id, String name, double latitude) {
    return new StoreLocation(id, name, "1 Main St", "Springfield", "IL", "62701", "US", latitude, -89.6501,
        "+1 217 555 0100");
  }

  private static String id() {
    return "store-" + UUID.randomUUID();
  }
}
