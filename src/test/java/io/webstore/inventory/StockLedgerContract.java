package io.webstore.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link StockLedger}'s hold path, stated once and run against every adapter: a hold covers all its
 * lines or takes nothing (a {@code Short} names the uncovered SKUs), a retry of a hold id is {@code Existing} (other
 * lines: {@code Mismatch}) and takes nothing again, a release returns the units once, availability is on-hand minus
 * held (never below zero, unknown SKUs 0), and mirrored stock keeps the newest version per bucket. The commit, sweep
 * and rebuild operations are not part of this contract yet.
 */
@ExtendWith(VertxExtension.class)
abstract class StockLedgerContract {

  private static final Duration TTL = Duration.ofMinutes(10);

  /** The adapter under test, ready (its marker set); its SKUs and holds must not be touched by anything else. */
  protected abstract Future<StockLedger> createLedger();

  private StockLedger ledger;

  @BeforeEach
  void ledger(VertxTestContext test) {
    createLedger().onComplete(test.succeeding(created -> {
      ledger = created;
      test.completeNow();
    }));
  }

  @Test
  void aHoldCoversEveryLineAndAvailabilityDrops(VertxTestContext test) {
    String a = sku();
    String b = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 2), new HoldLine(b, 3));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1), new BucketStock(b, "w1#0", 3, 1)))
        .compose(applied -> ledger.hold(holdId(), TTL, canonical(lines), lines))
        .compose(attempt -> {
          test.verify(() -> {
            assertThat(attempt).isInstanceOf(StockLedger.Held.class);
            StockLedger.Held held = (StockLedger.Held) attempt;
            assertThat(unitsBySku(held.parts())).isEqualTo(Map.of(a, 2, b, 3));
            assertThat(held.changedSkus()).containsExactlyInAnyOrder(a, b);
            assertThat(held.expiresAtMs()).isGreaterThan(System.currentTimeMillis());
          });
          return ledger.availability(List.of(a, b));
        })
        .onComplete(test.succeeding(available -> test.verify(() -> {
          assertThat(available).isEqualTo(Map.of(a, 3, b, 0));
          test.completeNow();
        })));
  }

  @Test
  void aHoldThatCannotCoverEveryLineTakesNothing(VertxTestContext test) {
    String a = sku();
    String b = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 2), new HoldLine(b, 2));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1), new BucketStock(b, "w1#0", 1, 1)))
        .compose(applied -> ledger.hold(holdId, TTL, canonical(lines), lines))
        .compose(attempt -> {
          test.verify(() -> assertThat(attempt).isEqualTo(new StockLedger.Short(List.of(b))));
          return ledger.holdState(holdId);
        })
        .compose(state -> {
          test.verify(() -> assertThat(state).isEmpty());
          return ledger.availability(List.of(a, b));
        })
        .onComplete(test.succeeding(available -> test.verify(() -> {
          assertThat(available).isEqualTo(Map.of(a, 5, b, 1));
          test.completeNow();
        })));
  }

  @Test
  void aRetriedHoldIsExistingAndTakesNothingAgain(VertxTestContext test) {
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 2));
    List<HoldLine> other = List.of(new HoldLine(a, 1));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1)))
        .compose(applied -> ledger.hold(holdId, TTL, canonical(lines), lines))
        .compose(first -> ledger.hold(holdId, TTL, canonical(lines), lines).map(again -> {
          test.verify(() -> {
            StockLedger.Held held = (StockLedger.Held) first;
            assertThat(again).isEqualTo(new StockLedger.Existing("held", held.expiresAtMs(), held.parts()));
          });
          return again;
        }))
        .compose(again -> ledger.hold(holdId, TTL, canonical(other), other))
        .compose(mismatch -> {
          test.verify(() -> assertThat(mismatch).isInstanceOf(StockLedger.Mismatch.class));
          return ledger.availability(List.of(a));
        })
        .onComplete(test.succeeding(available -> test.verify(() -> {
          assertThat(available).containsEntry(a, 3);
          test.completeNow();
        })));
  }

  @Test
  void aHoldSpreadsOverBucketsWhenNoneHasEnough(VertxTestContext test) {
    String a = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 3));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 2, 1), new BucketStock(a, "w2#0", 2, 1)))
        .compose(applied -> ledger.hold(holdId(), TTL, canonical(lines), lines))
        .compose(attempt -> {
          test.verify(() -> {
            List<HoldPart> parts = ((StockLedger.Held) attempt).parts();
            assertThat(parts).extracting(HoldPart::bucket).containsExactlyInAnyOrder("w1#0", "w2#0");
            assertThat(unitsBySku(parts)).isEqualTo(Map.of(a, 3));
          });
          return ledger.heldByBucket(a);
        })
        .onComplete(test.succeeding(held -> test.verify(() -> {
          assertThat(held.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
          assertThat(held.keySet()).containsExactlyInAnyOrder("w1#0", "w2#0");
          test.completeNow();
        })));
  }

  @Test
  void aReleaseReturnsTheUnitsOnce(VertxTestContext test) {
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 4));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1)))
        .compose(applied -> ledger.hold(holdId, TTL, canonical(lines), lines))
        .compose(held -> ledger.release(holdId, "released"))
        .compose(released -> {
          test.verify(() -> assertThat(released).isEqualTo(new StockLedger.Released(true, "held", List.of(a))));
          return ledger.release(holdId, "released");
        })
        .compose(again -> {
          test.verify(() -> assertThat(again).isEqualTo(new StockLedger.Released(false, "released", List.of())));
          return ledger.holdState(holdId);
        })
        .compose(state -> {
          test.verify(() -> assertThat(state).contains("released"));
          return ledger.hold(holdId, TTL, canonical(lines), lines);
        })
        .compose(retry -> {
          test.verify(() -> assertThat(retry).as("a released hold is not held again")
              .isInstanceOfSatisfying(StockLedger.Existing.class, existing ->
                  assertThat(existing.state()).isEqualTo("released")));
          return ledger.availability(List.of(a));
        })
        .onComplete(test.succeeding(available -> test.verify(() -> {
          assertThat(available).containsEntry(a, 5);
          test.completeNow();
        })));
  }

  @Test
  void aReleaseWithoutAFinalStateForgetsTheHold(VertxTestContext test) {
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 1));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 1, 1)))
        .compose(applied -> ledger.hold(holdId, TTL, canonical(lines), lines))
        .compose(held -> ledger.release(holdId, ""))
        .compose(released -> Future.all(ledger.holdState(holdId), ledger.release(holdId, "")))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          assertThat(both.<java.util.Optional<String>>resultAt(0)).isEmpty();
          assertThat(both.<StockLedger.Released>resultAt(1))
              .isEqualTo(new StockLedger.Released(false, "unknown", List.of()));
          test.completeNow();
        })));
  }

  @Test
  void concurrentHoldsNeverHoldMoreThanIsOnHand(VertxTestContext test) {
    String a = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 2));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1)))
        .compose(applied -> {
          List<Future<StockLedger.HoldAttempt>> holds = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            holds.add(ledger.hold(holdId(), TTL, canonical(lines), lines));
          }
          return Future.all(holds).map(done -> holds);
        })
        .compose(holds -> ledger.availability(List.of(a)).map(available -> {
          test.verify(() -> {
            assertThat(holds.stream().filter(h -> h.result() instanceof StockLedger.Held).count()).isEqualTo(2);
            assertThat(holds.stream().filter(h -> h.result() instanceof StockLedger.Short).count()).isEqualTo(6);
            assertThat(available).containsEntry(a, 1);
          });
          return available;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void availabilityIsZeroForUnknownSkusAndNeverBelowZero(VertxTestContext test) {
    String a = sku();
    String unknown = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 4));
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 4, 1)))
        .compose(applied -> ledger.hold(holdId(), TTL, canonical(lines), lines))
        .compose(held -> ledger.applyStock(List.of(new BucketStock(a, "w1#0", 1, 2)))) // stock set below the held
        .compose(lowered -> ledger.availability(List.of(a, unknown)))
        .onComplete(test.succeeding(available -> test.verify(() -> {
          assertThat(available).isEqualTo(Map.of(a, 0, unknown, 0));
          test.completeNow();
        })));
  }

  @Test
  void mirroredStockKeepsTheNewestVersionPerBucket(VertxTestContext test) {
    String a = sku();
    ledger.applyStock(List.of(new BucketStock(a, "w1#0", 7, 5)))
        .compose(newer -> ledger.applyStock(List.of(new BucketStock(a, "w1#0", 1, 4))))
        .compose(older -> ledger.applyStock(List.of(new BucketStock(a, "w1#0", 9, 5))))
        .compose(same -> ledger.availability(List.of(a)))
        .onComplete(test.succeeding(available -> test.verify(() -> {
          assertThat(available).containsEntry(a, 7);
          test.completeNow();
        })));
  }

  private static Map<String, Integer> unitsBySku(List<HoldPart> parts) {
    return parts.stream().collect(Collectors.groupingBy(HoldPart::sku, Collectors.summingInt(HoldPart::quantity)));
  }

  private static String canonical(List<HoldLine> lines) {
    return lines.stream().map(line -> line.sku() + ":" + line.quantity()).sorted().collect(Collectors.joining(","));
  }

  private static String sku() {
    return "SKU-" + UUID.randomUUID();
  }

  private static String holdId() {
    return "hold-" + UUID.randomUUID();
  }
}
