package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link ProductStore}, stated once and run against every adapter: a put answers whether it created
 * the product (of concurrent puts of a new SKU exactly one did), a product reads back whole (exact price, attributes
 * of every JSON kind, images in order), a delete removes what is there and is {@link NotFound} otherwise, and the
 * listings ({@code all}, {@code skus}) and the bulk write ({@code putAll}) see and write every product.
 */
@ExtendWith(VertxExtension.class)
abstract class ProductStoreContract {

  /** The adapter under test; it may hold products of other tests, but none with this contract's SKUs. */
  protected abstract Future<ProductStore> createStore();

  private ProductStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void aPutOfANewProductAnswersCreatedAndTheProductReadsBackWhole(VertxTestContext test) {
    Product product = product(sku(), "19.90", "r1");
    store.put(product)
        .compose(created -> {
          test.verify(() -> assertThat(created).isTrue());
          return store.find(product.sku());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(product);
          test.completeNow();
        })));
  }

  @Test
  void aProductWithoutAttributesOrImagesReadsBackWithout(VertxTestContext test) {
    Product product = new Product(sku(), "Plain mug", "", Amount.price("3", "EUR"), "kitchen", Map.of(), List.of(),
        "r1", at(0));
    store.put(product)
        .compose(created -> store.find(product.sku()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(product);
          test.completeNow();
        })));
  }

  @Test
  void aPutOfAnExistingProductAnswersReplacedAndReplacesIt(VertxTestContext test) {
    String sku = sku();
    Product replacement = new Product(sku, "Renamed mug", "now blue", Amount.price("24.50", "USD"), "mugs",
        Map.of("colour", "blue"), List.of("https://img.example.com/blue.png"), "r2", at(60));
    store.put(product(sku, "19.90", "r1"))
        .compose(created -> store.put(replacement))
        .compose(created -> {
          test.verify(() -> assertThat(created).isFalse());
          return store.find(sku);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).as("replaced whole: nothing of the first product is left").contains(replacement);
          test.completeNow();
        })));
  }

  @Test
  void concurrentPutsOfANewProductHaveExactlyOneCreator(VertxTestContext test) {
    String sku = sku();
    List<Future<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      puts.add(store.put(product(sku, "1" + i + ".00", "r" + i)));
    }
    Future.all(puts)
        .compose(done -> store.find(sku))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(puts.stream().filter(Future::result).count()).isEqualTo(1);
          assertThat(found).isPresent();
          assertThat(found.get().sku()).isEqualTo(sku);
          test.completeNow();
        })));
  }

  @Test
  void anUnknownProductIsEmpty(VertxTestContext test) {
    store.find(sku()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void aDeletedProductIsGoneAndDeletingItAgainIsNotFound(VertxTestContext test) {
    Product product = product(sku(), "19.90", "r1");
    store.put(product)
        .compose(created -> store.delete(product.sku()))
        .compose(deleted -> store.find(product.sku()))
        .compose(found -> {
          test.verify(() -> assertThat(found).isEmpty());
          return expectFailure(() -> store.delete(product.sku()), NotFound.class);
        })
        .compose(again -> store.skus())
        .compose(skus -> {
          test.verify(() -> assertThat(skus).doesNotContain(product.sku()));
          return store.put(product);
        })
        .onComplete(test.succeeding(createdAgain -> test.verify(() -> {
          assertThat(createdAgain).as("a deleted SKU is new again").isTrue();
          test.completeNow();
        })));
  }

  @Test
  void deletingAnUnknownProductIsNotFound(VertxTestContext test) {
    expectFailure(() -> store.delete(sku()), NotFound.class).onComplete(test.succeedingThenComplete());
  }

  @Test
  void allListsEveryProductAsLastWritten(VertxTestContext test) {
    Product kept = product(sku(), "5.00", "r1");
    Product replaced = product(sku(), "7.00", "r2");
    Product deleted = product(sku(), "9.00", "r1");
    store.put(kept)
        .compose(done -> store.put(product(replaced.sku(), "6.00", "r1")))
        .compose(done -> store.put(replaced))
        .compose(done -> store.put(deleted))
        .compose(done -> store.delete(deleted.sku()))
        .compose(done -> store.all())
        .onComplete(test.succeeding(all -> test.verify(() -> {
          assertThat(all).contains(kept, replaced);
          assertThat(all.stream().map(Product::sku)).doesNotContain(deleted.sku()).doesNotHaveDuplicates();
          assertThat(all.stream().filter(product -> product.sku().equals(replaced.sku()))).containsExactly(replaced);
          test.completeNow();
        })));
  }

  @Test
  void skusListEveryStoredSku(VertxTestContext test) {
    Product first = product(sku(), "5.00", "r1");
    Product second = product(sku(), "6.00", "r1");
    store.put(first)
        .compose(done -> store.put(second))
        .compose(done -> store.skus())
        .onComplete(test.succeeding(skus -> test.verify(() -> {
          assertThat(skus).contains(first.sku(), second.sku());
          test.completeNow();
        })));
  }

  @Test
  void putAllWritesEveryProductAndReplacesUnconditionally(VertxTestContext test) {
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // more than one batch
      products.add(product(sku(), i + ".50", "bulk-" + i));
    }
    Product replacing = product(products.get(0).sku(), "99.99", "bulk-again");
    store.putAll(products)
        .compose(done -> store.putAll(List.of(replacing)))
        .compose(done -> store.all())
        .compose(all -> {
          test.verify(() -> assertThat(all).contains(replacing).containsAll(products.subList(1, products.size())));
          return store.skus();
        })
        .compose(skus -> {
          test.verify(() -> assertThat(skus).containsAll(products.stream().map(Product::sku).toList()));
          return store.find(replacing.sku());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(replacing);
          test.completeNow();
        })));
  }

  @Test
  void putAllOfNothingWritesNothing(VertxTestContext test) {
    store.putAll(List.of()).onComplete(test.succeedingThenComplete());
  }

  // ---- feed writes (sequenced)

  @Test
  void aFeedPutAppliesOnlyOverASmallerSequenceAndAReplayIsApplied(VertxTestContext test) {
    String sku = sku();
    Product first = product(sku, "10.00", "f1");
    Product second = product(sku, "12.00", "f2");
    store.putIfNewer(first, 5)
        .compose(write -> {
          test.verify(() -> assertThat(write).isEqualTo(new ProductStore.FeedWrite(true, first)));
          return store.putIfNewer(second, 7);
        })
        .compose(write -> {
          test.verify(() -> assertThat(write).isEqualTo(new ProductStore.FeedWrite(true, second)));
          return store.putIfNewer(product(sku, "11.00", "late"), 6);
        })
        .compose(late -> {
          test.verify(() -> assertThat(late).as("older than stored").isEqualTo(ProductStore.FeedWrite.STALE));
          return store.putIfNewer(product(sku, "12.00", "again"), 7);
        })
        .compose(replay -> {
          test.verify(() -> assertThat(replay).as("the same record again: applied, the stored product unchanged")
              .isEqualTo(new ProductStore.FeedWrite(true, second)));
          return store.find(sku);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(second);
          test.completeNow();
        })));
  }

  @Test
  void aFeedDeleteLeavesATombstoneThatOlderPutsDoNotRevive(VertxTestContext test) {
    String sku = sku();
    Product product = product(sku, "10.00", "f1");
    store.putIfNewer(product, 3)
        .compose(put -> store.deleteIfNewer(sku, 4))
        .compose(delete -> {
          test.verify(() -> assertThat(delete).isEqualTo(new ProductStore.FeedWrite(true, null)));
          return store.putIfNewer(product(sku, "9.00", "late"), 2);
        })
        .compose(late -> {
          test.verify(() -> assertThat(late).isEqualTo(ProductStore.FeedWrite.STALE));
          return store.deleteIfNewer(sku, 4);
        })
        .compose(replay -> {
          test.verify(() -> assertThat(replay).isEqualTo(new ProductStore.FeedWrite(true, null)));
          return Future.all(store.find(sku), store.all(), store.skus());
        })
        .compose(reads -> {
          test.verify(() -> {
            assertThat(reads.<java.util.Optional<Product>>resultAt(0)).as("a tombstone is no product").isEmpty();
            assertThat(reads.<List<Product>>resultAt(1).stream().map(Product::sku)).doesNotContain(sku);
            assertThat(reads.<java.util.Set<String>>resultAt(2)).as("seeding must not bring it back").contains(sku);
          });
          return expectFailure(() -> store.delete(sku), NotFound.class);
        })
        .compose(gone -> store.putIfNewer(product, 5))
        .onComplete(test.succeeding(revived -> test.verify(() -> {
          assertThat(revived).as("a newer put revives it").isEqualTo(new ProductStore.FeedWrite(true, product));
          test.completeNow();
        })));
  }

  @Test
  void aFeedDeleteOfAnUnknownSkuLeavesATombstone(VertxTestContext test) {
    String sku = sku();
    store.deleteIfNewer(sku, 9)
        .compose(delete -> store.putIfNewer(product(sku, "1.00", "late"), 8))
        .onComplete(test.succeeding(late -> test.verify(() -> {
          assertThat(late).isEqualTo(ProductStore.FeedWrite.STALE);
          test.completeNow();
        })));
  }

  @Test
  void adminWritesKeepTheFeedSequence(VertxTestContext test) {
    String sku = sku();
    Product admin = product(sku, "15.00", "admin");
    store.putIfNewer(product(sku, "10.00", "f1"), 5)
        .compose(fed -> store.put(admin))
        .compose(created -> {
          test.verify(() -> assertThat(created).isFalse());
          return store.putIfNewer(product(sku, "11.00", "late"), 5);
        })
        .compose(replay -> {
          test.verify(() -> assertThat(replay).as("sequence 5 is still the stored one")
              .isEqualTo(new ProductStore.FeedWrite(true, admin)));
          return store.delete(sku);
        })
        .compose(deleted -> store.putIfNewer(product(sku, "11.00", "late"), 4))
        .compose(late -> {
          test.verify(() -> assertThat(late).as("the admin delete kept sequence 5").isEqualTo(
              ProductStore.FeedWrite.STALE));
          return store.find(sku);
        })
        .compose(found -> {
          test.verify(() -> assertThat(found).isEmpty());
          return store.put(admin);
        })
        .compose(created -> {
          test.verify(() -> assertThat(created).as("over a tombstone a put creates").isTrue());
          return store.putIfNewer(product(sku, "11.00", "late"), 5);
        })
        .onComplete(test.succeeding(late -> test.verify(() -> {
          assertThat(late.applied()).as("the tombstone's sequence 5 stayed with the revived product").isTrue();
          assertThat(late.stored()).isEqualTo(admin);
          test.completeNow();
        })));
  }

  // ---- helpers

  /** Succeeds when {@code call} fails (by a failed future or by throwing) with {@code expected}. */
  private static <T> Future<Void> expectFailure(Supplier<Future<T>> call, Class<? extends Throwable> expected) {
    return Future.<Void>succeededFuture().compose(start -> call.get()).transform(result -> {
      if (result.succeeded()) {
        return Future.failedFuture(new AssertionError("expected " + expected.getSimpleName() + ", got "
            + result.result()));
      }
      return expected.isInstance(result.cause()) ? Future.succeededFuture()
          : Future.failedFuture(new AssertionError("expected " + expected.getSimpleName(), result.cause()));
    });
  }

  private static Product product(String sku, String price, String revision) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("brand", "Contract & Co");
    attributes.put("capacity_ml", 350);
    attributes.put("weight_kg", 0.45);
    attributes.put("dishwasher_safe", true);
    return new Product(sku, "Contract mug " + sku, "A mug with a contract", Amount.price(price, "USD"), "mugs",
        attributes, List.of("https://img.example.com/" + sku + "/1.png", "https://img.example.com/" + sku + "/0.png"),
        revision, at(revision.hashCode() & 0xFFFF));
  }

  private static String sku() {
    return "SKU-CONTRACT-" + UUID.randomUUID();
  }

  private static Instant at(int seconds) {
    return Instant.parse("2025-03-01T10:00:00.000Z").plusSeconds(seconds).plusMillis(7);
  }
}
