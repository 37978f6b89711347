package io.webstore.cart;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link CartStore}, stated once and run against every adapter: a missing cart reads as empty at
 * version 0, a save is conditional on the version read (0: none stored), so of writers that read the same version
 * exactly one wins, and a saved cart reads back whole (lines in order, merge marker, checkout claim, last checkout).
 */
@ExtendWith(VertxExtension.class)
abstract class CartStoreContract {

  /** The adapter under test. */
  protected abstract Future<CartStore> createStore();

  private CartStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void anOwnerWithoutACartHasAnEmptyOneAtVersionZero(VertxTestContext test) {
    String owner = owner();
    store.find(owner).onComplete(test.succeeding(cart -> test.verify(() -> {
      assertThat(cart).isEqualTo(Cart.empty(owner));
      test.completeNow();
    })));
  }

  @Test
  void aSavedCartReadsBackWholeAtItsNewVersion(VertxTestContext test) {
    String owner = owner();
    Cart cart = new Cart(owner, List.of(new CartLine("SKU-B", 2), new CartLine("SKU-A", 1)), 0,
        Optional.of("merge-1"), Optional.of(new CartClaim(owner + "#key", "ord_1", 0)),
        Optional.of(new Cart.LastCheckout("ord_0", 0)), List.of("add-key-1", "add-key-2"));
    store.save(cart, Optional.of(Instant.now().plusSeconds(3600)))
        .compose(saved -> {
          test.verify(() -> assertThat(saved).isEqualTo(cart.savedAs(1)));
          return store.find(owner);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(cart.savedAs(1));
          test.completeNow();
        })));
  }

  @Test
  void eachSaveOnTheVersionReadMovesTheVersionByOne(VertxTestContext test) {
    String owner = owner();
    Cart empty = Cart.empty(owner);
    store.save(new Cart(owner, List.of(new CartLine("SKU-A", 1)), 0, Optional.empty(), Optional.empty(),
            Optional.empty()), Optional.empty())
        .compose(first -> store.save(new Cart(owner, List.of(new CartLine("SKU-A", 3)), first.version(),
            Optional.empty(), Optional.empty(), Optional.empty()), Optional.empty()))
        .compose(second -> store.save(new Cart(owner, List.of(), second.version(), Optional.empty(),
            Optional.empty(), Optional.empty()), Optional.empty()))
        .compose(third -> {
          test.verify(() -> assertThat(third.version()).isEqualTo(3));
          return store.find(owner);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(empty.savedAs(3));
          test.completeNow();
        })));
  }

  @Test
  void aFirstSaveOverAStoredCartIsAConflict(VertxTestContext test) {
    String owner = owner();
    Cart first = withLines(Cart.empty(owner), new CartLine("SKU-A", 1));
    store.save(first, Optional.empty())
        .compose(saved -> store.save(withLines(Cart.empty(owner), new CartLine("SKU-B", 5)), Optional.empty()))
        .transform(second -> {
          test.verify(() -> assertThat(second.cause()).isInstanceOf(Conflict.class));
          return store.find(owner);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(first.savedAs(1));
          test.completeNow();
        })));
  }

  @Test
  void aSaveOnAStaleVersionIsAConflictAndChangesNothing(VertxTestContext test) {
    String owner = owner();
    Cart cart = withLines(Cart.empty(owner), new CartLine("SKU-A", 1));
    store.save(cart, Optional.empty())
        .compose(v1 -> store.save(withLines(v1, new CartLine("SKU-A", 2)), Optional.empty())
            .compose(v2 -> store.save(withLines(v1, new CartLine("SKU-A", 9)), Optional.empty())
                .transform(stale -> {
                  test.verify(() -> assertThat(stale.cause()).isInstanceOf(Conflict.class));
                  return store.find(owner);
                })
                .map(found -> {
                  test.verify(() -> assertThat(found).isEqualTo(v2));
                  return found;
                })))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aSaveOnAVersionNeverStoredIsAConflict(VertxTestContext test) {
    String owner = owner();
    store.save(withLines(Cart.empty(owner).savedAs(4), new CartLine("SKU-A", 1)), Optional.empty())
        .transform(ghost -> {
          test.verify(() -> assertThat(ghost.cause()).isInstanceOf(Conflict.class));
          return store.find(owner);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(Cart.empty(owner));
          test.completeNow();
        })));
  }

  @Test
  void writersOfTheSameReadHaveExactlyOneWinner(VertxTestContext test) {
    String owner = owner();
    store.save(withLines(Cart.empty(owner), new CartLine("SKU-A", 1)), Optional.empty())
        .compose(read -> {
          List<Future<Cart>> writes = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            writes.add(store.save(withLines(read, new CartLine("SKU-A", 1), new CartLine("SKU-W" + i, 1)),
                Optional.empty()));
          }
          return Future.join(writes).otherwiseEmpty().map(done -> writes);
        })
        .compose(writes -> store.find(owner).map(found -> {
          test.verify(() -> {
            assertThat(writes.stream().filter(Future::succeeded).count()).isEqualTo(1);
            assertThat(writes.stream().filter(Future::failed).map(Future::cause))
                .allSatisfy(err -> assertThat(err).isInstanceOf(Conflict.class));
            assertThat(found).isEqualTo(writes.stream().filter(Future::succeeded).findFirst().orElseThrow().result());
            assertThat(found.version()).isEqualTo(2);
          });
          return found;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void concurrentFirstSavesHaveExactlyOneWinner(VertxTestContext test) {
    String owner = owner();
    List<Future<Cart>> writes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      writes.add(store.save(withLines(Cart.empty(owner), new CartLine("SKU-F" + i, 1)), Optional.empty()));
    }
    Future.join(writes).otherwiseEmpty()
        .compose(done -> store.find(owner))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(writes.stream().filter(Future::succeeded).count()).isEqualTo(1);
          assertThat(found.version()).isEqualTo(1);
          assertThat(found).isEqualTo(writes.stream().filter(Future::succeeded).findFirst().orElseThrow().result());
          test.completeNow();
        })));
  }

  private static Cart withLines(Cart cart, CartLine... lines) {
    return new Cart(cart.owner(), List.of(lines), cart.version(), cart.lastMerge(), cart.checkout(),
        cart.lastCheckout());
  }

  private static String owner() {
    return "guest:" + UUID.randomUUID();
  }
}
