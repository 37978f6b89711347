package io.webstore.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link StockRecords}, stated once and run against every adapter: a hold's part is taken from its
 * bucket once (a repeat answers the bucket as it is), never below zero (a short take answers empty and changes
 * nothing), a restock lands once per operation id, a set is absolute, every write moves the bucket's version forward,
 * a read lists the SKU's buckets and a scan every bucket with the holds it has given units to.
 */
@ExtendWith(VertxExtension.class)
abstract class StockRecordsContract {

  /** The adapter under test; its records must not be changed by anything else while the test runs. */
  protected abstract Future<StockRecords> createRecords();

  private StockRecords records;

  @BeforeEach
  void records(VertxTestContext test) {
    createRecords().onComplete(test.succeeding(created -> {
      records = created;
      test.completeNow();
    }));
  }

  @Test
  void aSkuNeverStockedReadsAsEmpty(VertxTestContext test) {
    records.read(sku()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void setUnitsWritesEveryBucketAndReadListsThem(VertxTestContext test) {
    String sku = sku();
    Map<String, Integer> units = new LinkedHashMap<>();
    units.put("w1#0", 5);
    units.put("w2#0", 0);
    records.setUnits(sku, units)
        .compose(written -> {
          test.verify(() -> {
            assertThat(written).extracting(BucketStock::sku).containsOnly(sku);
            assertThat(written).extracting(BucketStock::bucket, BucketStock::onHand)
                .containsExactlyInAnyOrder(tuple("w1#0", 5),
                    tuple("w2#0", 0));
          });
          return records.read(sku).map(found -> {
            test.verify(() -> assertThat(found).get().asList().containsExactlyInAnyOrderElementsOf(written));
            return written;
          });
        })
        .compose(first -> records.setUnits(sku, Map.of("w1#0", 2)).map(second -> {
          BucketStock before = first.stream().filter(b -> b.bucket().equals("w1#0")).findFirst().orElseThrow();
          test.verify(() -> {
            assertThat(second).hasSize(1);
            assertThat(second.get(0).onHand()).as("absolute, not added").isEqualTo(2);
            assertThat(second.get(0).version()).isGreaterThan(before.version());
          });
          return second;
        }))
        .compose(second -> records.read(sku))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).get().asList().extracting("bucket", "onHand")
              .containsExactlyInAnyOrder(tuple("w1#0", 2),
                  tuple("w2#0", 0));
          test.completeNow();
        })));
  }

  @Test
  void aSequencedSetWritesOnlyTheBucketsBehindItAndAPlainSetLeavesTheSequencesAlone(VertxTestContext test) {
    String sku = sku();
    Map<String, Integer> first = new LinkedHashMap<>();
    first.put("w1#0", 5);
    first.put("w1#1", 6);
    records.setUnitsIfNewer(sku, first, 4, List.of("w1#0", "w1#1"))
        .compose(written -> {
          test.verify(() -> assertThat(written).allSatisfy(bucket -> assertThat(bucket).isPresent()));
          Map<String, Integer> mixed = new LinkedHashMap<>();
          mixed.put("w1#0", 1);
          mixed.put("w1#1", 2);
          return records.setUnits(sku, Map.of("w1#1", 9)) // no sequence: w1#1 keeps 4
              .compose(plain -> records.setUnitsIfNewer(sku, mixed, 4, List.of()));
        })
        .compose(equal -> {
          test.verify(() -> assertThat(equal).as("an equal sequence writes nothing")
              .containsExactly(Optional.empty(), Optional.empty()));
          return records.setUnitsIfNewer(sku, Map.of("w1#1", 3, "w2#0", 8), 5, List.of("w2#0"));
        })
        .compose(newer -> {
          test.verify(() -> assertThat(newer).allSatisfy(bucket -> assertThat(bucket).isPresent()));
          return records.setUnitsIfNewer(sku, Map.of("w1#0", 7), 3, List.of());
        })
        .compose(older -> {
          test.verify(() -> assertThat(older).containsExactly(Optional.empty()));
          return records.readSequenced(sku);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found)
              .extracting(b -> b.stock().bucket(), b -> b.stock().onHand(), StockRecords.SequencedBucket::sequence)
              .containsExactlyInAnyOrder(tuple("w1#0", 5, 4L), tuple("w1#1", 3, 5L), tuple("w2#0", 8, 5L));
          test.completeNow();
        })));
  }

  @Test
  void aFeedReadListsEachSkusRegisteredBucketsAndReadsOnlyTheAskedWarehouses(VertxTestContext test) {
    // more SKUs than one batched read takes, so the adapter must read in several rounds
    List<String> skus = new ArrayList<>();
    for (int i = 0; i < 105; i++) {
      skus.add(sku());
    }
    String neverStocked = sku();
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < skus.size(); i++) {
      Map<String, Integer> units = new LinkedHashMap<>();
      units.put("w1#0", i);
      units.put("w2#0", 1_000 + i);
      // w1#7 is registered but never written: it reads as 0 units, no sequence
      writes.add(records.setUnitsIfNewer(skus.get(i), units, 10 + i, List.of("w1#0", "w2#0", "w1#7")));
    }
    Map<String, java.util.Set<String>> asked = new LinkedHashMap<>();
    skus.forEach(sku -> asked.put(sku, java.util.Set.of("w1")));
    asked.put(skus.get(0), java.util.Set.of("w2"));
    asked.put(neverStocked, java.util.Set.of("w1"));
    Future.all(writes)
        .compose(done -> records.readForFeed(asked))
        .onComplete(test.succeeding(views -> test.verify(() -> {
          assertThat(views).doesNotContainKey(neverStocked).hasSize(skus.size());
          assertThat(views.get(skus.get(0)).registered()).containsExactlyInAnyOrder("w1#0", "w2#0", "w1#7");
          assertThat(views.get(skus.get(0)).buckets())
              .extracting(b -> b.stock().bucket(), b -> b.stock().onHand(), StockRecords.SequencedBucket::sequence)
              .containsExactly(tuple("w2#0", 1_000, 10L));
          for (int i = 1; i < skus.size(); i++) {
            String sku = skus.get(i);
            assertThat(views.get(sku).registered()).containsExactlyInAnyOrder("w1#0", "w2#0", "w1#7");
            assertThat(views.get(sku).buckets())
                .extracting(b -> b.stock().sku(), b -> b.stock().bucket(), b -> b.stock().onHand(),
                    StockRecords.SequencedBucket::sequence)
                .containsExactlyInAnyOrder(tuple(sku, "w1#0", i, 10L + i),
                    tuple(sku, "w1#7", 0, StockRecords.SequencedBucket.NONE));
          }
          test.completeNow();
        })));
  }

  @Test
  void aHoldTakesItsUnitsOnceAndARepeatAnswersTheBucketAsItIs(VertxTestContext test) {
    String sku = sku();
    HoldPart part = new HoldPart(sku, "w1#0", 3);
    String holdId = holdId();
    records.setUnits(sku, Map.of("w1#0", 10))
        .compose(set -> records.takeUnits(part, holdId))
        .compose(taken -> {
          test.verify(() -> assertThat(taken.map(BucketStock::onHand)).contains(7));
          return records.takeUnits(part, holdId).map(again -> {
            test.verify(() -> assertThat(again).as("the repeat changes nothing").isEqualTo(taken));
            return again;
          });
        })
        .compose(again -> records.read(sku))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).get().asList().extracting("onHand").containsExactly(7);
          test.completeNow();
        })));
  }

  @Test
  void aTakeMovesTheVersionForward(VertxTestContext test) {
    String sku = sku();
    records.setUnits(sku, Map.of("w1#0", 4))
        .compose(set -> records.takeUnits(new HoldPart(sku, "w1#0", 1), holdId()).map(taken -> {
          test.verify(() -> assertThat(taken.get().version()).isGreaterThan(set.get(0).version()));
          return taken;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aShortTakeIsEmptyAndTakesNothing(VertxTestContext test) {
    String sku = sku();
    records.setUnits(sku, Map.of("w1#0", 2))
        .compose(set -> records.takeUnits(new HoldPart(sku, "w1#0", 3), holdId()).map(taken -> {
          test.verify(() -> assertThat(taken).isEmpty());
          return set.get(0);
        }))
        .compose(before -> records.read(sku).map(found -> {
          test.verify(() -> assertThat(found).get().asList().containsExactly(before));
          return before;
        }))
        .compose(before -> records.takeUnits(new HoldPart(sku, "w1#0", 2), holdId()))
        .onComplete(test.succeeding(exact -> test.verify(() -> {
          assertThat(exact.map(BucketStock::onHand)).as("down to zero, not below").contains(0);
          test.completeNow();
        })));
  }

  @Test
  void aTakeFromABucketNeverStockedIsEmpty(VertxTestContext test) {
    records.takeUnits(new HoldPart(sku(), "w1#0", 1), holdId())
        .onComplete(test.succeeding(taken -> test.verify(() -> {
          assertThat(taken).isEmpty();
          test.completeNow();
        })));
  }

  @Test
  void anAppliedHoldStaysAppliedAfterTheStockIsSetBelowIt(VertxTestContext test) {
    String sku = sku();
    HoldPart part = new HoldPart(sku, "w1#0", 3);
    String holdId = holdId();
    records.setUnits(sku, Map.of("w1#0", 5))
        .compose(set -> records.takeUnits(part, holdId))
        .compose(taken -> records.setUnits(sku, Map.of("w1#0", 1)))
        .compose(lowered -> records.takeUnits(part, holdId).map(again -> {
          test.verify(() -> assertThat(again).as("already applied: the bucket as it is").contains(lowered.get(0)));
          return again;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void concurrentTakesOfOneHoldTakeOnce(VertxTestContext test) {
    String sku = sku();
    HoldPart part = new HoldPart(sku, "w1#0", 2);
    String holdId = holdId();
    records.setUnits(sku, Map.of("w1#0", 10))
        .compose(set -> {
          List<Future<Optional<BucketStock>>> takes = new ArrayList<>();
          for (int i = 0; i < 6; i++) {
            takes.add(records.takeUnits(part, holdId));
          }
          return Future.all(takes).map(done -> takes);
        })
        .compose(takes -> records.read(sku).map(found -> {
          test.verify(() -> {
            assertThat(found).get().asList().extracting("onHand").containsExactly(8);
            assertThat(takes).allSatisfy(take -> assertThat(take.result().map(BucketStock::onHand)).contains(8));
          });
          return found;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void concurrentHoldsNeverTakeTheBucketBelowZero(VertxTestContext test) {
    String sku = sku();
    records.setUnits(sku, Map.of("w1#0", 5))
        .compose(set -> {
          List<Future<Optional<BucketStock>>> takes = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            takes.add(records.takeUnits(new HoldPart(sku, "w1#0", 2), holdId()));
          }
          return Future.all(takes).map(done -> takes);
        })
        .compose(takes -> records.read(sku).map(found -> {
          test.verify(() -> {
            assertThat(takes.stream().filter(take -> take.result().isPresent()).count()).isEqualTo(2);
            assertThat(found).get().asList().extracting("onHand").containsExactly(1);
          });
          return found;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aRestockAddsOncePerOperation(VertxTestContext test) {
    String sku = sku();
    String operation = "op-" + UUID.randomUUID();
    records.addUnits(sku, "w1#0", 4, operation)
        .compose(first -> {
          test.verify(() -> {
            assertThat(first.applied()).isTrue();
            assertThat(first.stock().sku()).isEqualTo(sku);
            assertThat(first.stock().bucket()).isEqualTo("w1#0");
            assertThat(first.stock().onHand()).as("added to a new, empty bucket").isEqualTo(4);
          });
          return records.addUnits(sku, "w1#0", 4, operation).map(again -> {
            test.verify(() -> {
              assertThat(again.applied()).isFalse();
              assertThat(again.stock()).as("the bucket as it is").isEqualTo(first.stock());
            });
            return again;
          });
        })
        .compose(again -> records.addUnits(sku, "w1#0", 3, "op-" + UUID.randomUUID()))
        .compose(other -> {
          test.verify(() -> {
            assertThat(other.applied()).isTrue();
            assertThat(other.stock().onHand()).isEqualTo(7);
          });
          return records.read(sku);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).get().asList().extracting("bucket", "onHand")
              .containsExactly(tuple("w1#0", 7));
          test.completeNow();
        })));
  }

  @Test
  void concurrentRepeatsOfARestockAddOnce(VertxTestContext test) {
    String sku = sku();
    String operation = "op-" + UUID.randomUUID();
    records.setUnits(sku, Map.of("w1#0", 1))
        .compose(set -> {
          List<Future<StockRecords.Restocked>> adds = new ArrayList<>();
          for (int i = 0; i < 6; i++) {
            adds.add(records.addUnits(sku, "w1#0", 5, operation));
          }
          return Future.all(adds).map(done -> adds);
        })
        .compose(adds -> records.read(sku).map(found -> {
          test.verify(() -> {
            assertThat(adds.stream().filter(add -> add.result().applied()).count()).isEqualTo(1);
            assertThat(found).get().asList().extracting("onHand").containsExactly(6);
          });
          return found;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aRestockOfANewBucketAddsItToTheSku(VertxTestContext test) {
    String sku = sku();
    records.setUnits(sku, Map.of("w1#0", 2))
        .compose(set -> records.addUnits(sku, "w2#0", 3, "op-" + UUID.randomUUID()))
        .compose(added -> records.read(sku))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).get().asList().extracting("bucket", "onHand")
              .containsExactlyInAnyOrder(tuple("w1#0", 2),
                  tuple("w2#0", 3));
          test.completeNow();
        })));
  }

  @Test
  void scanAllListsEveryBucketWithTheHoldsItGaveUnitsTo(VertxTestContext test) {
    String sku = sku();
    String first = holdId();
    String second = holdId();
    String missed = holdId();
    records.setUnits(sku, Map.of("w1#0", 5, "w2#0", 1))
        .compose(set -> records.takeUnits(new HoldPart(sku, "w1#0", 2), first))
        .compose(taken -> records.takeUnits(new HoldPart(sku, "w1#0", 1), second))
        .compose(taken -> records.takeUnits(new HoldPart(sku, "w2#0", 2), missed))
        .compose(shortTake -> Future.all(records.read(sku), records.scanAll()))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          Optional<List<BucketStock>> read = both.resultAt(0);
          List<BucketSnapshot> scanned = both.<List<BucketSnapshot>>resultAt(1).stream()
              .filter(snapshot -> snapshot.stock().sku().equals(sku)).toList();
          assertThat(scanned).extracting(BucketSnapshot::stock).containsExactlyInAnyOrderElementsOf(read.get());
          assertThat(scanned).filteredOn(snapshot -> snapshot.stock().bucket().equals("w1#0"))
              .singleElement().satisfies(snapshot -> {
                assertThat(snapshot.stock().onHand()).isEqualTo(2);
                assertThat(snapshot.appliedHolds()).containsExactlyInAnyOrder(first, second);
              });
          assertThat(scanned).filteredOn(snapshot -> snapshot.stock().bucket().equals("w2#0"))
              .singleElement().satisfies(snapshot -> assertThat(snapshot.appliedHolds()).isEmpty());
          test.completeNow();
        })));
  }

  private static String sku() {
    return "SKU-" + UUID.randomUUID();
  }

  private static String holdId() {
    return "hold-" + UUID.randomUUID();
  }
}
