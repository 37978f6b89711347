package io.webstore.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link StockLedger}, stated once and run against every adapter. Each ledger lives in a namespace of
 * its own and starts empty and not ready, as a Redis that lost its data; the tests make it ready through the rebuild
 * operations. The ledger promises:
 * <ul>
 *   <li><b>Holds.</b> A hold covers all its lines or takes nothing (a {@code Short} names the uncovered SKUs), taking
 *       from the bucket with the most spare units first (ties by bucket id) and spreading a line over buckets when
 *       none has enough. A retry of a hold id is {@code Existing} with the hold's state (other lines: {@code
 *       Mismatch}) and takes nothing again.</li>
 *   <li><b>Releases.</b> A release returns a held hold's units once and leaves it in the final state given, or
 *       forgets it when that is empty; a hold that is committing or finished is left alone and named.</li>
 *   <li><b>Commits.</b> {@code beginCommit} pins a held hold ({@code Committing}, again on a retry): neither a release
 *       nor the sweeper returns its units. A hold past its expiry is {@code Expired} (its units returned now);
 *       committed ones are {@code AlreadyCommitted}, released or expired ones {@code Gone}, unknown ones {@code
 *       Missing}. {@code finishCommit} mirrors the stock it is given and drops the hold's held units once
 *       (availability stays); it mirrors the stock even for a hold it does not know. Per bucket, finishes apply in
 *       version order: one that arrives before an older write of its bucket waits (its units held) until that write
 *       arrives, a newer value is applied, or a sweep after the roll-forward time skips the gap; a taken unit is never
 *       off on hand and held at once.</li>
 *   <li><b>Sweeps.</b> A sweep returns the units of held holds past their expiry once (earliest first, at most a
 *       batch), leaves live holds alone, and hands a hold still committing a roll-forward time after {@code
 *       beginCommit} back for roll-forward (again each roll-forward time), keeping its units held.</li>
 *   <li><b>Tombstones.</b> Finished holds answer their state for the tombstone time, then are forgotten.</li>
 *   <li><b>Stock.</b> Availability is on-hand minus held (never below zero, unknown SKUs 0), {@code heldByBucket}
 *       names every bucket of a SKU, and mirrored stock keeps the newest version per bucket.</li>
 *   <li><b>Readiness and rebuild.</b> Until it is ready every operation but the rebuild ones fails with {@link
 *       LedgerNotReady} and tells {@code onNotReady}. The rebuild lock has one owner at a time, until it marks the
 *       ledger ready, aborts, or its lease runs out ({@code load} renews it); a lost lock refuses {@code clear},
 *       {@code load} and {@code markReady}. {@code clear} drops what an earlier rebuild left, never a ready ledger's
 *       data; {@code load} restores buckets and live holds (committing ones due when the rebuild says). Losing the
 *       data (a flush) makes the ledger not ready and takes the lock with it.</li>
 * </ul>
 */
@ExtendWith(VertxExtension.class)
abstract class StockLedgerContract {

  private static final Duration TTL = Duration.ofMinutes(10);
  private static final Duration SHORT_TTL = Duration.ofMillis(50);
  private static final Duration TOMBSTONE = Duration.ofHours(1);
  private static final Duration ROLL_FORWARD = Duration.ofMinutes(5);
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * A new ledger of the adapter under test in a namespace of its own (nothing else reads or writes it, not even
   * another ledger of the same test), empty and not ready. Finished holds are kept {@code tombstone} long; a commit
   * still running {@code rollForward} after it began is handed to the sweeper; {@code onNotReady} is told whenever an
   * operation finds the ledger not ready.
   */
  protected abstract Future<StockLedger> createLedger(Duration tombstone, Duration rollForward, Runnable onNotReady);

  /** Makes {@code ledger} lose everything, its ready marker and rebuild lock included, as a Redis flush does. */
  protected abstract Future<Void> loseData(StockLedger ledger);

  private StockLedger ledger;

  @BeforeEach
  void ledger(VertxTestContext test) {
    createLedger(TOMBSTONE, ROLL_FORWARD, () -> { })
        .compose(created -> makeReady(created).map(created))
        .onComplete(test.succeeding(created -> {
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

  // ---- commits

  @Test
  void beginCommitPinsAHoldSoNeitherAReleaseNorTheSweeperReturnsItsUnits() {
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 2));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    StockLedger.Held held = (StockLedger.Held) await(ledger.hold(holdId, TTL, canonical(lines), lines));

    StockLedger.Committing committing = new StockLedger.Committing(held.parts(), held.expiresAtMs(), canonical(lines));
    assertThat(await(ledger.beginCommit(holdId))).isEqualTo(committing);
    assertThat(await(ledger.beginCommit(holdId))).as("a retried begin").isEqualTo(committing);
    assertThat(await(ledger.release(holdId, "released")))
        .isEqualTo(new StockLedger.Released(false, "committing", List.of()));
    assertThat(await(ledger.hold(holdId, TTL, canonical(lines), lines)))
        .isEqualTo(new StockLedger.Existing("committing", held.expiresAtMs(), held.parts()));
    assertThat(await(ledger.sweep(100))).isEqualTo(new StockLedger.Sweep(List.of(), List.of(), List.of()));
    assertThat(await(ledger.holdState(holdId))).contains("committing");
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 3);
  }

  @Test
  void finishCommitMirrorsTheStockAndDropsTheHeldUnitsOnce() {
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 2));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    StockLedger.Held held = (StockLedger.Held) await(ledger.hold(holdId, TTL, canonical(lines), lines));
    await(ledger.beginCommit(holdId));
    List<BucketStock> committed = List.of(new BucketStock(a, "w1#0", 3, 2)); // DynamoDB took the 2 units

    assertThat(await(ledger.finishCommit(holdId, committed))).as("on hand and held both fell: availability stays")
        .isEmpty();
    assertThat(await(ledger.heldByBucket(a))).isEqualTo(Map.of("w1#0", 0));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 3);
    assertThat(await(ledger.holdState(holdId))).contains("committed");

    assertThat(await(ledger.finishCommit(holdId, committed))).as("a retried finish").isEmpty();
    assertThat(await(ledger.heldByBucket(a))).as("held units dropped once").isEqualTo(Map.of("w1#0", 0));
    assertThat(await(ledger.beginCommit(holdId))).isEqualTo(new StockLedger.AlreadyCommitted());
    assertThat(await(ledger.release(holdId, "released")))
        .isEqualTo(new StockLedger.Released(false, "committed", List.of()));
    assertThat(await(ledger.hold(holdId, TTL, canonical(lines), lines)))
        .isEqualTo(new StockLedger.Existing("committed", held.expiresAtMs(), held.parts()));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 3);
  }

  @Test
  void finishCommitMirrorsTheStockEvenForAHoldItDoesNotKnow() {
    String a = sku();
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));

    assertThat(await(ledger.finishCommit(holdId(), List.of(new BucketStock(a, "w1#0", 4, 2))))).containsExactly(a);
    assertThat(await(ledger.finishCommit(holdId(), List.of(new BucketStock(a, "w1#0", 9, 1)))))
        .as("an older version changes nothing").isEmpty();
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 4);
  }

  @Test
  void finishesArrivingOutOfOrderNeverCountATakenUnitTwice() {
    String a = sku();
    String first = holdId();
    String second = holdId();
    List<HoldLine> one = List.of(new HoldLine(a, 1));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 3, 1))));
    await(ledger.hold(first, TTL, canonical(one), one));
    await(ledger.hold(second, TTL, canonical(one), one));
    await(ledger.beginCommit(first));
    await(ledger.beginCommit(second));
    // DynamoDB takes the first hold's unit (version 2), then the second's (version 3); the second's finish arrives
    // first: its on-hand value already lacks the first hold's unit, which the ledger still counts as held
    List<BucketStock> firstTaken = List.of(new BucketStock(a, "w1#0", 2, 2));
    List<BucketStock> secondTaken = List.of(new BucketStock(a, "w1#0", 1, 3));

    await(ledger.finishCommit(second, secondTaken));
    assertThat(await(ledger.holdState(second))).contains("committed");
    assertThat(await(ledger.availability(List.of(a)))).as("the third unit is still free").containsEntry(a, 1);
    String third = holdId();
    assertThat(await(ledger.hold(third, TTL, canonical(one), one))).isInstanceOf(StockLedger.Held.class);

    await(ledger.finishCommit(first, firstTaken));
    assertThat(await(ledger.heldByBucket(a))).as("only the third hold").isEqualTo(Map.of("w1#0", 1));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 0);

    await(ledger.finishCommit(second, secondTaken));
    await(ledger.finishCommit(first, firstTaken));
    assertThat(await(ledger.heldByBucket(a))).as("retried finishes drop nothing again").isEqualTo(Map.of("w1#0", 1));
    await(ledger.release(third, "released"));
    assertThat(await(ledger.availability(List.of(a)))).as("the mirror is at version 3").containsEntry(a, 1);
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 7, 2))));
    assertThat(await(ledger.availability(List.of(a)))).as("an older value changes nothing").containsEntry(a, 1);
  }

  @Test
  void finishesOfOneVersionFromTwoHoldsEachDropTheirOwnUnits() {
    String a = sku();
    String first = holdId();
    String second = holdId();
    String third = holdId();
    List<HoldLine> one = List.of(new HoldLine(a, 1));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 3, 1))));
    for (String holdId : List.of(first, second, third)) {
      await(ledger.hold(holdId, TTL, canonical(one), one));
      await(ledger.beginCommit(holdId));
    }
    // takes: the first hold's at version 2, the second's at 3, the third's at 4; the first's finish is late
    await(ledger.finishCommit(second, List.of(new BucketStock(a, "w1#0", 1, 3))));
    // a second commit attempt of the second hold found its take done and read the bucket after the third's take
    await(ledger.finishCommit(second, List.of(new BucketStock(a, "w1#0", 0, 4))));
    await(ledger.finishCommit(third, List.of(new BucketStock(a, "w1#0", 0, 4))));
    assertThat(await(ledger.heldByBucket(a))).as("nothing mirrored past version 1 yet").isEqualTo(Map.of("w1#0", 3));

    await(ledger.finishCommit(first, List.of(new BucketStock(a, "w1#0", 2, 2))));
    assertThat(await(ledger.heldByBucket(a))).isEqualTo(Map.of("w1#0", 0));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 0);
    for (String holdId : List.of(first, second, third)) {
      assertThat(await(ledger.holdState(holdId))).contains("committed");
    }
  }

  @Test
  void aNewerValueReadFromDynamoDbSettlesTheFinishesItCovers() {
    String a = sku();
    String first = holdId();
    String second = holdId();
    List<HoldLine> one = List.of(new HoldLine(a, 1));
    List<HoldLine> two = List.of(new HoldLine(a, 2));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 10, 1))));
    await(ledger.hold(first, TTL, canonical(one), one));
    await(ledger.hold(second, TTL, canonical(two), two));
    await(ledger.beginCommit(first));
    await(ledger.beginCommit(second));
    // the first hold's take is version 2, the second's version 3; only the second's finish has arrived
    await(ledger.finishCommit(second, List.of(new BucketStock(a, "w1#0", 7, 3))));
    assertThat(await(ledger.availability(List.of(a)))).as("exact: both holds counted, neither take mirrored")
        .containsEntry(a, 7);

    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 7, 4)))); // a read of the bucket after both takes
    assertThat(await(ledger.heldByBucket(a))).as("the second hold's take is mirrored now")
        .isEqualTo(Map.of("w1#0", 1));
    await(ledger.finishCommit(first, List.of(new BucketStock(a, "w1#0", 9, 2))));
    assertThat(await(ledger.heldByBucket(a))).isEqualTo(Map.of("w1#0", 0));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 7);
  }

  @Test
  void aWriteThatNeverReachesTheLedgerIsSkippedAfterTheRollForwardTime() {
    Duration rollForward = Duration.ofSeconds(1);
    StockLedger slow = readyLedger(TOMBSTONE, rollForward);
    String a = sku();
    String holdId = holdId();
    List<HoldLine> two = List.of(new HoldLine(a, 2));
    await(slow.applyStock(List.of(new BucketStock(a, "w1#0", 10, 1))));
    await(slow.hold(holdId, TTL, canonical(two), two));
    await(slow.beginCommit(holdId));
    // version 2 (a restock of 5 whose mirror was lost) never arrives; the hold's take is version 3
    await(slow.finishCommit(holdId, List.of(new BucketStock(a, "w1#0", 13, 3))));
    assertThat(await(slow.availability(List.of(a)))).containsEntry(a, 8);

    Deadline.await("the sweeper to skip the missing version", WAIT, () -> {
      await(slow.sweep(100));
      return await(slow.availability(List.of(a))).get(a) == 13;
    });
    assertThat(await(slow.heldByBucket(a))).isEqualTo(Map.of("w1#0", 0));
  }

  @Test
  void beginCommitNamesHoldsThatAreGoneOrUnknown() {
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 1));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    await(ledger.hold(holdId, TTL, canonical(lines), lines));
    await(ledger.release(holdId, "released"));

    assertThat(await(ledger.beginCommit(holdId))).isEqualTo(new StockLedger.Gone("released"));
    assertThat(await(ledger.beginCommit(holdId()))).isEqualTo(new StockLedger.Missing());
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 5);
  }

  @Test
  void beginCommitOnAHoldPastItsExpiryReturnsItsUnits() {
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 2));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    StockLedger.Held held = (StockLedger.Held) await(ledger.hold(holdId, SHORT_TTL, canonical(lines), lines));
    waitPast(held.expiresAtMs());

    assertThat(await(ledger.beginCommit(holdId))).isEqualTo(new StockLedger.Expired(List.of(a)));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 5);
    assertThat(await(ledger.holdState(holdId))).contains("expired");
    assertThat(await(ledger.beginCommit(holdId))).isEqualTo(new StockLedger.Gone("expired"));
    assertThat(await(ledger.sweep(100)).expiredHolds()).as("not expired twice").isEmpty();
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 5);
  }

  // ---- sweeps and tombstones

  @Test
  void aSweepReturnsTheUnitsOfExpiredHoldsOnceAndLeavesLiveOnes() {
    String a = sku();
    String b = sku();
    String first = holdId();
    String second = holdId();
    String live = holdId();
    List<HoldLine> twoOfA = List.of(new HoldLine(a, 2));
    List<HoldLine> oneOfB = List.of(new HoldLine(b, 1));
    List<HoldLine> oneOfA = List.of(new HoldLine(a, 1));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1), new BucketStock(b, "w1#0", 5, 1))));
    await(ledger.hold(live, TTL, canonical(oneOfA), oneOfA));
    await(ledger.hold(first, SHORT_TTL, canonical(twoOfA), twoOfA));
    StockLedger.Held last = (StockLedger.Held) await(ledger.hold(second, SHORT_TTL, canonical(oneOfB), oneOfB));
    waitPast(last.expiresAtMs());

    StockLedger.Sweep sweep = await(ledger.sweep(100));
    assertThat(sweep.expiredHolds()).containsExactlyInAnyOrder(first, second);
    assertThat(sweep.changedSkus()).containsExactlyInAnyOrder(a, b);
    assertThat(sweep.rollForward()).isEmpty();
    assertThat(await(ledger.availability(List.of(a, b)))).isEqualTo(Map.of(a, 4, b, 5));
    assertThat(await(ledger.holdState(first))).contains("expired");
    assertThat(await(ledger.holdState(live))).contains("held");
    assertThat(await(ledger.hold(first, SHORT_TTL, canonical(twoOfA), twoOfA))).as("an expired hold is not held again")
        .isInstanceOfSatisfying(StockLedger.Existing.class, existing -> assertThat(existing.state())
            .isEqualTo("expired"));
    assertThat(await(ledger.sweep(100))).isEqualTo(new StockLedger.Sweep(List.of(), List.of(), List.of()));
    assertThat(await(ledger.availability(List.of(a, b)))).isEqualTo(Map.of(a, 4, b, 5));
  }

  @Test
  void aSweepTakesAtMostItsBatchEarliestFirst() {
    String a = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 1));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    List<String> holdIds = new ArrayList<>();
    long lastExpiry = 0;
    for (int i = 1; i <= 3; i++) { // later holds with longer lives: expiries strictly in this order
      String holdId = holdId();
      holdIds.add(holdId);
      lastExpiry = ((StockLedger.Held) await(ledger.hold(holdId, SHORT_TTL.multipliedBy(i), canonical(lines), lines)))
          .expiresAtMs();
    }
    waitPast(lastExpiry);

    assertThat(await(ledger.sweep(2)).expiredHolds()).containsExactly(holdIds.get(0), holdIds.get(1));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 4);
    assertThat(await(ledger.sweep(2)).expiredHolds()).containsExactly(holdIds.get(2));
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 5);
  }

  @Test
  void aCommitStillRunningAfterTheRollForwardTimeIsHandedToTheSweeper() {
    Duration rollForward = Duration.ofSeconds(1);
    StockLedger slow = readyLedger(TOMBSTONE, rollForward);
    String a = sku();
    String holdId = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 2));
    await(slow.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    await(slow.hold(holdId, TTL, canonical(lines), lines));
    await(slow.beginCommit(holdId));
    assertThat(await(slow.sweep(100)).rollForward()).as("a commit that just began is its caller's").isEmpty();

    StockLedger.Sweep handedBack = Deadline.until("the commit to be handed back", WAIT, () -> {
      StockLedger.Sweep sweep = await(slow.sweep(100));
      return sweep.rollForward().isEmpty() ? null : sweep;
    });
    assertThat(handedBack).isEqualTo(new StockLedger.Sweep(List.of(), List.of(), List.of(holdId)));
    assertThat(await(slow.sweep(100)).rollForward()).as("due again a roll-forward time later").isEmpty();
    assertThat(await(slow.holdState(holdId))).contains("committing");
    assertThat(await(slow.availability(List.of(a)))).as("its units stay held").containsEntry(a, 3);

    await(slow.finishCommit(holdId, List.of(new BucketStock(a, "w1#0", 3, 2))));
    assertThat(await(slow.holdState(holdId))).contains("committed");
    assertThat(await(slow.availability(List.of(a)))).containsEntry(a, 3);
  }

  @Test
  void finishedHoldsAreForgottenAfterTheTombstoneTime() {
    StockLedger brief = readyLedger(Duration.ofMillis(300), ROLL_FORWARD);
    String a = sku();
    String finished = holdId();
    String live = holdId();
    List<HoldLine> lines = List.of(new HoldLine(a, 1));
    await(brief.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    await(brief.hold(finished, TTL, canonical(lines), lines));
    await(brief.hold(live, TTL, canonical(lines), lines));
    await(brief.release(finished, "released"));
    assertThat(await(brief.holdState(finished))).contains("released");

    Deadline.await("the released hold to be forgotten", WAIT, () -> await(brief.holdState(finished)).isEmpty());
    assertThat(await(brief.holdState(live))).as("a live hold is never forgotten").contains("held");
    assertThat(await(brief.hold(finished, TTL, canonical(lines), lines))).as("a forgotten id is a new hold")
        .isInstanceOf(StockLedger.Held.class);
    assertThat(await(brief.availability(List.of(a)))).containsEntry(a, 3);
  }

  @Test
  void heldByBucketNamesEveryBucketAndHoldsTakeFromTheFullestFirst() {
    String a = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 3));
    await(ledger.applyStock(List.of(new BucketStock(a, "w2#0", 5, 1), new BucketStock(a, "w1#0", 5, 1))));
    assertThat(await(ledger.heldByBucket(a))).isEqualTo(Map.of("w1#0", 0, "w2#0", 0));

    StockLedger.Held first = (StockLedger.Held) await(ledger.hold(holdId(), TTL, canonical(lines), lines));
    assertThat(first.parts()).as("a tie goes to the first bucket id").containsExactly(new HoldPart(a, "w1#0", 3));
    StockLedger.Held second = (StockLedger.Held) await(ledger.hold(holdId(), TTL, canonical(lines), lines));
    assertThat(second.parts()).containsExactly(new HoldPart(a, "w2#0", 3));
    assertThat(await(ledger.heldByBucket(a))).isEqualTo(Map.of("w1#0", 3, "w2#0", 3));
    assertThat(await(ledger.heldByBucket(sku()))).as("an unknown SKU").isEmpty();
  }

  // ---- readiness and rebuild

  @Test
  void aLedgerThatIsNotReadyRefusesEveryOperationButTheRebuildOnes() {
    AtomicInteger told = new AtomicInteger();
    StockLedger fresh = await(createLedger(TOMBSTONE, ROLL_FORWARD, told::incrementAndGet));
    String a = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 1));
    assertThat(await(fresh.ready())).isFalse();

    List<Future<?>> refused = List.of(
        fresh.hold(holdId(), TTL, canonical(lines), lines),
        fresh.holdState(holdId()),
        fresh.beginCommit(holdId()),
        fresh.finishCommit(holdId(), List.of(new BucketStock(a, "w1#0", 1, 1))),
        fresh.release(holdId(), "released"),
        fresh.sweep(100),
        fresh.applyStock(List.of(new BucketStock(a, "w1#0", 1, 1))),
        fresh.availability(List.of(a)),
        fresh.heldByBucket(a));
    refused.forEach(operation -> assertThat(failure(operation)).isInstanceOf(LedgerNotReady.class));
    assertThat(told.get()).as("onNotReady told of each").isEqualTo(refused.size());

    await(makeReady(fresh));
    assertThat(await(fresh.ready())).isTrue();
    assertThat(await(fresh.availability(List.of(a)))).isEqualTo(Map.of(a, 0));
    assertThat(told.get()).isEqualTo(refused.size());
  }

  @Test
  void aRebuildLoadsBucketsAndLiveHoldsThenMarksTheLedgerReady() {
    StockLedger fresh = await(createLedger(TOMBSTONE, ROLL_FORWARD, () -> { }));
    String a = sku();
    String held = holdId();
    String committing = holdId();
    long expiresAt = System.currentTimeMillis() + TTL.toMillis();
    List<HoldPart> heldParts = List.of(new HoldPart(a, "w1#0", 3));
    List<HoldPart> committingParts = List.of(new HoldPart(a, "w3#0", 1));
    StockLedger.SkuSnapshot stock = new StockLedger.SkuSnapshot(a,
        List.of(new BucketStock(a, "w1#0", 10, 3), new BucketStock(a, "w2#0", 4, 7)),
        Map.of("w1#0", 3, "w3#0", 1)); // w3#0: a bucket known only from a hold's parts
    List<StockLedger.HoldSnapshot> holds = List.of(
        new StockLedger.HoldSnapshot(held, "held", expiresAt, expiresAt, a + ":3", heldParts),
        new StockLedger.HoldSnapshot(committing, "committing", expiresAt, System.currentTimeMillis(), a + ":1",
            committingParts));

    String token = await(fresh.lockRebuild(LEASE)).orElseThrow();
    assertThat(await(fresh.clear(token))).isTrue();
    assertThat(await(fresh.load(token, LEASE, List.of(stock), holds))).isTrue();
    assertThat(await(fresh.ready())).as("not before the marker").isFalse();
    assertThat(await(fresh.markReady(token, "rebuilt"))).isTrue();
    assertThat(await(fresh.ready())).isTrue();

    assertThat(await(fresh.availability(List.of(a)))).containsEntry(a, 10);
    assertThat(await(fresh.heldByBucket(a))).isEqualTo(Map.of("w1#0", 3, "w2#0", 0, "w3#0", 1));
    assertThat(await(fresh.hold(held, TTL, a + ":3", List.of(new HoldLine(a, 3)))))
        .isEqualTo(new StockLedger.Existing("held", expiresAt, heldParts));
    assertThat(await(fresh.holdState(committing))).contains("committing");
    assertThat(await(fresh.sweep(100))).as("the rebuild made the committing hold due")
        .isEqualTo(new StockLedger.Sweep(List.of(), List.of(), List.of(committing)));
    await(fresh.applyStock(List.of(new BucketStock(a, "w1#0", 99, 3))));
    assertThat(await(fresh.availability(List.of(a)))).as("loaded versions hold").containsEntry(a, 10);
    assertThat(await(fresh.release(held, "released"))).isEqualTo(new StockLedger.Released(true, "held", List.of(a)));
    assertThat(await(fresh.availability(List.of(a)))).containsEntry(a, 13);

    String next = await(fresh.lockRebuild(LEASE)).orElse(null);
    assertThat(next).as("marking ready let go of the lock").isNotNull();
    await(fresh.abortRebuild(next));
  }

  @Test
  void theRebuildLockHasOneOwnerUntilItLetsGoOrItsLeaseRunsOut() {
    StockLedger fresh = await(createLedger(TOMBSTONE, ROLL_FORWARD, () -> { }));
    String first = await(fresh.lockRebuild(LEASE)).orElseThrow();
    assertThat(await(fresh.lockRebuild(LEASE))).isEmpty();
    await(fresh.abortRebuild(first));

    String second = await(fresh.lockRebuild(Duration.ofSeconds(1))).orElseThrow();
    assertThat(second).isNotEqualTo(first);
    assertThat(await(fresh.clear(first))).isFalse();
    assertThat(await(fresh.load(first, LEASE, List.of(), List.of()))).isFalse();
    assertThat(await(fresh.markReady(first, "stale"))).isFalse();
    await(fresh.abortRebuild(first)); // not the owner: nothing happens
    assertThat(await(fresh.lockRebuild(LEASE))).as("still the second's").isEmpty();

    String third = Deadline.until("the second's lease to run out", WAIT,
        () -> await(fresh.lockRebuild(LEASE)).orElse(null));
    assertThat(await(fresh.clear(second))).as("a lease that ran out is a lost lock").isFalse();
    assertThat(await(fresh.markReady(second, "late"))).isFalse();
    assertThat(await(fresh.ready())).isFalse();
    assertThat(await(fresh.clear(third))).isTrue();
    assertThat(await(fresh.markReady(third, "rebuilt"))).isTrue();
    assertThat(await(fresh.ready())).isTrue();
  }

  @Test
  void loadRenewsTheLease() {
    StockLedger fresh = await(createLedger(TOMBSTONE, ROLL_FORWARD, () -> { }));
    String token = await(fresh.lockRebuild(Duration.ofSeconds(1))).orElseThrow();
    assertThat(await(fresh.load(token, LEASE, List.of(), List.of()))).isTrue();
    waitPast(System.currentTimeMillis() + 1_200); // past the first lease

    assertThat(await(fresh.lockRebuild(LEASE))).as("the renewed lease still runs").isEmpty();
    assertThat(await(fresh.markReady(token, "rebuilt"))).isTrue();
  }

  @Test
  void clearDropsWhatAnEarlierRebuildLeftButNeverTheDataOfAReadyLedger() {
    String a = sku();
    String b = sku();
    String leftOver = holdId();
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    String token = await(ledger.lockRebuild(LEASE)).orElseThrow();
    assertThat(await(ledger.clear(token))).as("the ledger is ready").isFalse();
    assertThat(await(ledger.availability(List.of(a)))).containsEntry(a, 5);
    await(ledger.abortRebuild(token));

    await(loseData(ledger));
    String failed = await(ledger.lockRebuild(LEASE)).orElseThrow();
    long expiresAt = System.currentTimeMillis() + TTL.toMillis();
    assertThat(await(ledger.load(failed, LEASE,
        List.of(new StockLedger.SkuSnapshot(b, List.of(new BucketStock(b, "w1#0", 7, 1)), Map.of("w1#0", 1))),
        List.of(new StockLedger.HoldSnapshot(leftOver, "held", expiresAt, expiresAt, b + ":1",
            List.of(new HoldPart(b, "w1#0", 1))))))).isTrue();
    await(ledger.abortRebuild(failed)); // a rebuild that failed half way
    assertThat(await(ledger.ready())).isFalse();

    String retry = await(ledger.lockRebuild(LEASE)).orElseThrow();
    assertThat(await(ledger.clear(retry))).isTrue();
    assertThat(await(ledger.markReady(retry, "rebuilt"))).isTrue();
    assertThat(await(ledger.availability(List.of(a, b)))).isEqualTo(Map.of(a, 0, b, 0));
    assertThat(await(ledger.heldByBucket(b))).isEmpty();
    assertThat(await(ledger.holdState(leftOver))).isEmpty();
  }

  @Test
  void lostDataMakesTheLedgerNotReadyAndAFlushDuringARebuildTakesItsLock() {
    String a = sku();
    List<HoldLine> lines = List.of(new HoldLine(a, 1));
    await(ledger.applyStock(List.of(new BucketStock(a, "w1#0", 5, 1))));
    await(loseData(ledger));
    assertThat(await(ledger.ready())).isFalse();
    assertThat(failure(ledger.hold(holdId(), TTL, canonical(lines), lines))).isInstanceOf(LedgerNotReady.class);

    String token = await(ledger.lockRebuild(LEASE)).orElseThrow();
    assertThat(await(ledger.clear(token))).isTrue();
    await(loseData(ledger));
    assertThat(await(ledger.load(token, LEASE, List.of(), List.of()))).isFalse();
    assertThat(await(ledger.markReady(token, "rebuilt"))).isFalse();
    assertThat(await(ledger.ready())).isFalse();

    await(makeReady(ledger));
    assertThat(await(ledger.availability(List.of(a)))).as("what was lost stays lost until reloaded")
        .containsEntry(a, 0);
  }

  /** Takes the lock, clears and marks the ledger ready: a rebuild of nothing. */
  private static Future<Void> makeReady(StockLedger target) {
    return target.lockRebuild(LEASE)
        .map(token -> token.orElseThrow(() -> new IllegalStateException("the rebuild lock is taken")))
        .compose(token -> target.clear(token).compose(cleared -> target.markReady(token, "ready"))
            .map(ready -> {
              if (!ready) {
                throw new IllegalStateException("the ledger was not marked ready");
              }
              return ready;
            }))
        .mapEmpty();
  }

  private StockLedger readyLedger(Duration tombstone, Duration rollForward) {
    StockLedger created = await(createLedger(tombstone, rollForward, () -> { }));
    await(makeReady(created));
    return created;
  }

  /** Waits until this host's clock (the ledger's too) is past {@code epochMs}. */
  private static void waitPast(long epochMs) {
    Deadline.await("the clock to pass " + epochMs, WAIT, () -> System.currentTimeMillis() > epochMs);
  }

  private static <T> T await(Future<T> future) {
    return Engines.await(future, WAIT);
  }

  private static Throwable failure(Future<?> future) {
    return Engines.awaitFailure(future, WAIT);
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
