package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link SaleStore}, stated once and run against every adapter: a sale reads back whole (times to the
 * millisecond), a put creates or replaces, a put-if-absent lands only on a new id (of concurrent ones exactly one),
 * and the sales not ended at an instant are the running and scheduled ones (the end is exclusive).
 */
@ExtendWith(VertxExtension.class)
abstract class SaleStoreContract {

  /** The adapter under test; it may hold sales of other tests, but none with this contract's ids. */
  protected abstract Future<SaleStore> createStore();

  private SaleStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void aPutSaleReadsBackWhole(VertxTestContext test) {
    Sale sale = sale(id(), "9.99", 0, 3600, "r1");
    store.put(sale)
        .compose(done -> store.find(sale.id()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(sale);
          test.completeNow();
        })));
  }

  @Test
  void aPutOverAStoredSaleReplacesIt(VertxTestContext test) {
    String id = id();
    Sale replacement = new Sale(id, "SKU-OTHER", Amount.price("4.5", "EUR"), at(100), at(200), 1, "r2");
    store.put(sale(id, "9.99", 0, 3600, "r1"))
        .compose(done -> store.put(replacement))
        .compose(done -> store.find(id))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(replacement);
          test.completeNow();
        })));
  }

  @Test
  void anUnknownSaleIsEmpty(VertxTestContext test) {
    store.find(id()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void putIfAbsentLandsOnlyOnANewId(VertxTestContext test) {
    String id = id();
    Sale first = sale(id, "9.99", 0, 3600, "r1");
    store.putIfAbsent(first)
        .compose(created -> {
          test.verify(() -> assertThat(created).isTrue());
          return store.putIfAbsent(sale(id, "1.00", 10, 20, "r2"));
        })
        .compose(again -> {
          test.verify(() -> assertThat(again).isFalse());
          return store.find(id);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(first);
          test.completeNow();
        })));
  }

  @Test
  void concurrentPutsIfAbsentHaveExactlyOneWinner(VertxTestContext test) {
    String id = id();
    List<Sale> sales = new ArrayList<>();
    List<Future<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Sale sale = sale(id, i + ".99", 0, 3600, "r" + i);
      sales.add(sale);
      puts.add(store.putIfAbsent(sale));
    }
    Future.all(puts)
        .compose(done -> store.find(id))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(puts.stream().filter(Future::result).count()).isEqualTo(1);
          int winner = puts.indexOf(puts.stream().filter(Future::result).findFirst().orElseThrow());
          assertThat(found).contains(sales.get(winner));
          test.completeNow();
        })));
  }

  @Test
  void theSalesNotEndedAreTheRunningAndTheScheduledOnes(VertxTestContext test) {
    Instant now = at(10_000);
    Sale ended = sale(id(), "1.00", 0, 9_000, "r1");
    Sale endingNow = sale(id(), "1.00", 5_000, 10_000, "r1");
    Sale running = sale(id(), "1.00", 9_000, 10_001, "r1");
    Sale scheduled = sale(id(), "1.00", 20_000, 30_000, "r1");
    store.put(ended)
        .compose(done -> store.put(endingNow))
        .compose(done -> store.put(running))
        .compose(done -> store.putIfAbsent(scheduled))
        .compose(done -> store.notEndedAt(now))
        .onComplete(test.succeeding(notEnded -> test.verify(() -> {
          assertThat(notEnded).contains(running, scheduled).doesNotContain(ended, endingNow);
          assertThat(notEnded).allSatisfy(sale -> assertThat(sale.endsAfter(now)).isTrue());
          test.completeNow();
        })));
  }

  private static Sale sale(String id, String price, int startsAt, int endsAt, String revision) {
    return new Sale(id, "SKU-SALE-" + id, Amount.price(price, "USD"), at(startsAt), at(endsAt), 2, revision);
  }

  private static String id() {
    return "sale-" + UUID.randomUUID();
  }

  /** Far in the future, so no sale of another test ends in between; to the millisecond, as sales are kept. */
  private static Instant at(int seconds) {
    return Instant.parse("2125-03-01T10:00:00.000Z").plusSeconds(seconds).plusMillis(7);
  }
}
