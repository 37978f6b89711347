package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrderTotals;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link IdempotencyStore}, stated once and run against every adapter: a key is claimed once however
 * many requests race for it, only the lease holder changes an unfinished record, a finished record is final, recovery
 * takes over only what it read, and {@code expired} lists exactly the unfinished records whose lease ended.
 */
@ExtendWith(VertxExtension.class)
abstract class IdempotencyStoreContract {

  /** The adapter under test; its records must not be touched by anything else while the test runs. */
  protected abstract Future<IdempotencyStore> createStore();

  private IdempotencyStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void aNewKeyIsClaimedOnceAndFoundAsWritten(VertxTestContext test) {
    IdempotencyRecord record = started("owner-1", now() + 60_000);
    store.claim(record)
        .compose(claimed -> {
          test.verify(() -> assertThat(claimed).as("a new key: nothing there before").isEmpty());
          return store.find(record.ids().recordId());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(record);
          assertThat(found.orElseThrow().finished()).isFalse();
          test.completeNow();
        })));
  }

  @Test
  void aClaimOfATakenKeyAnswersTheRecordThatExistsAndChangesNothing(VertxTestContext test) {
    IdempotencyRecord first = started("owner-1", now() + 60_000);
    IdempotencyRecord second = new IdempotencyRecord(first.ids(), first.customerId(), "other-hash",
        CheckoutStep.PLANNED, Optional.empty(), "owner-2", now() + 120_000, 0, Optional.empty(), first.createdAt());
    store.claim(first)
        .compose(claimed -> store.claim(second))
        .compose(again -> {
          test.verify(() -> assertThat(again).contains(first));
          return store.find(first.ids().recordId());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(first);
          test.completeNow();
        })));
  }

  @Test
  void concurrentClaimsOfOneKeyHaveExactlyOneWinner(VertxTestContext test) {
    CheckoutIds ids = ids();
    List<Future<Optional<IdempotencyRecord>>> claims = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      claims.add(store.claim(started(ids, "owner-" + i, now() + 60_000)));
    }
    Future.all(claims)
        .compose(all -> store.find(ids.recordId()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          List<Integer> winners = new ArrayList<>();
          for (int i = 0; i < claims.size(); i++) {
            if (claims.get(i).result().isEmpty()) {
              winners.add(i);
            }
          }
          assertThat(winners).as("claims that found the key new").hasSize(1);
          String winner = "owner-" + winners.get(0);
          assertThat(found.orElseThrow().leaseOwner()).isEqualTo(winner);
          claims.forEach(claim -> claim.result().ifPresent(existing ->
              assertThat(existing.leaseOwner()).as("every loser sees the winner's record").isEqualTo(winner)));
          test.completeNow();
        })));
  }

  @Test
  void anUnknownKeyIsNotFound(VertxTestContext test) {
    store.find(ids().recordId()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void aFinishedClaimIsStoredFinishedAndNeverExpires(VertxTestContext test) {
    StoredResponse response = new StoredResponse(409, "{\"type\":\"/problems/conflict\"}", Optional.empty());
    IdempotencyRecord rejected = new IdempotencyRecord(ids(), "cust-" + UUID.randomUUID(), "hash",
        CheckoutStep.FAILED, Optional.empty(), "owner-1", 1_000, 0, Optional.of(response), createdAt());
    store.claim(rejected)
        .compose(claimed -> store.find(rejected.ids().recordId()))
        .compose(found -> {
          test.verify(() -> {
            assertThat(found).contains(rejected);
            assertThat(found.orElseThrow().finished()).isTrue();
          });
          return store.expired(now(), 1000);
        })
        .onComplete(test.succeeding(expired -> test.verify(() -> {
          assertThat(ids(expired)).doesNotContain(rejected.ids().recordId());
          test.completeNow();
        })));
  }

  @Test
  void theLeaseHolderAdvancesTheStepAndTheLease(VertxTestContext test) {
    IdempotencyRecord record = started("owner-1", now() + 60_000);
    long extended = now() + 120_000;
    store.claim(record)
        .compose(claimed -> store.advance(record, CheckoutStep.HELD, extended))
        .compose(advanced -> store.find(record.ids().recordId()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          IdempotencyRecord stored = found.orElseThrow();
          assertThat(stored.step()).isEqualTo(CheckoutStep.HELD);
          assertThat(stored.leaseUntilMs()).isEqualTo(extended);
          assertThat(stored.leaseOwner()).isEqualTo("owner-1");
          assertThat(stored.finished()).isFalse();
          test.completeNow();
        })));
  }

  @Test
  void anotherOwnerCanNeitherAdvanceNorFinish(VertxTestContext test) {
    IdempotencyRecord record = started("owner-1", now() + 60_000);
    IdempotencyRecord stranger = record.ownedBy("owner-2", now() + 60_000);
    StoredResponse response = new StoredResponse(201, "{}", Optional.of("/api/v1/orders/x"));
    store.claim(record)
        .compose(claimed -> store.advance(stranger, CheckoutStep.HELD, now() + 90_000)
            .transform(advanced -> {
              test.verify(() -> assertThat(advanced.cause()).isInstanceOf(LeaseLost.class));
              return store.finish(stranger, CheckoutStep.DONE, response);
            })
            .transform(finished -> {
              test.verify(() -> assertThat(finished.cause()).isInstanceOf(LeaseLost.class));
              return store.find(record.ids().recordId());
            }))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).as("untouched").contains(record);
          test.completeNow();
        })));
  }

  @Test
  void noLeaseCanBeHeldOnAKeyThatWasNeverClaimed(VertxTestContext test) {
    IdempotencyRecord ghost = started("owner-1", now() + 60_000);
    store.advance(ghost, CheckoutStep.HELD, now() + 90_000)
        .transform(advanced -> {
          test.verify(() -> assertThat(advanced.cause()).isInstanceOf(LeaseLost.class));
          return store.finish(ghost, CheckoutStep.DONE, new StoredResponse(201, "{}", Optional.empty()));
        })
        .onComplete(finished -> test.verify(() -> {
          assertThat(finished.cause()).isInstanceOf(LeaseLost.class);
          test.completeNow();
        }));
  }

  @Test
  void aFinishedRecordKeepsItsResponseAndCannotBeAdvanced(VertxTestContext test) {
    IdempotencyRecord record = started("owner-1", now() + 60_000);
    StoredResponse response = new StoredResponse(201, "{\"order_id\":\"x\"}", Optional.of("/api/v1/orders/x"));
    store.claim(record)
        .compose(claimed -> store.finish(record, CheckoutStep.DONE, response))
        .compose(finished -> store.advance(record, CheckoutStep.ORDERED, now() + 90_000)
            .transform(advanced -> {
              test.verify(() -> assertThat(advanced.cause()).as("a finished record is final")
                  .isInstanceOf(LeaseLost.class));
              return store.find(record.ids().recordId());
            }))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          IdempotencyRecord stored = found.orElseThrow();
          assertThat(stored.finished()).isTrue();
          assertThat(stored.step()).isEqualTo(CheckoutStep.DONE);
          assertThat(stored.response()).contains(response);
          assertThat(stored.plan()).isEqualTo(record.plan());
          test.completeNow();
        })));
  }

  @Test
  void finishingTwiceWithTheLeaseStoresTheLastAnswer(VertxTestContext test) {
    IdempotencyRecord record = started("owner-1", now() + 60_000);
    StoredResponse first = new StoredResponse(201, "{\"a\":1}", Optional.of("/api/v1/orders/x"));
    StoredResponse second = new StoredResponse(201, "{\"a\":1}", Optional.of("/api/v1/orders/x"));
    store.claim(record)
        .compose(claimed -> store.finish(record, CheckoutStep.DONE, first))
        .compose(finished -> store.finish(record, CheckoutStep.DONE, second))
        .compose(again -> store.find(record.ids().recordId()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found.orElseThrow().response()).contains(second);
          test.completeNow();
        })));
  }

  @Test
  void recoveryTakesOverWhatItReadOnceAndTheOldOwnerLosesTheLease(VertxTestContext test) {
    IdempotencyRecord record = started("owner-1", 1_000 + ThreadLocalRandom.current().nextInt(1_000));
    long until = now() + 60_000;
    store.claim(record)
        .compose(claimed -> Future.all(store.takeOver(record, "recovery-a", until),
            store.takeOver(record, "recovery-b", until)))
        .compose(both -> {
          Optional<IdempotencyRecord> a = both.resultAt(0);
          Optional<IdempotencyRecord> b = both.resultAt(1);
          test.verify(() -> assertThat(a.isPresent() ^ b.isPresent()).as("exactly one take-over wins").isTrue());
          IdempotencyRecord taken = a.orElseGet(b::orElseThrow);
          test.verify(() -> {
            assertThat(taken.leaseUntilMs()).isEqualTo(until);
            assertThat(taken.attempts()).isEqualTo(record.attempts() + 1);
          });
          return store.advance(record, CheckoutStep.HELD, until)
              .transform(old -> {
                test.verify(() -> assertThat(old.cause()).as("the old owner").isInstanceOf(LeaseLost.class));
                return store.advance(taken, CheckoutStep.HELD, until + 1);
              })
              .compose(advanced -> store.find(record.ids().recordId()))
              .map(found -> {
                test.verify(() -> {
                  IdempotencyRecord stored = found.orElseThrow();
                  assertThat(stored.leaseOwner()).isEqualTo(taken.leaseOwner());
                  assertThat(stored.attempts()).isEqualTo(1);
                  assertThat(stored.step()).isEqualTo(CheckoutStep.HELD);
                });
                return taken;
              });
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aFinishedRecordIsNotTakenOver(VertxTestContext test) {
    IdempotencyRecord record = started("owner-1", 1_000);
    store.claim(record)
        .compose(claimed -> store.finish(record, CheckoutStep.FAILED,
            new StoredResponse(409, "{}", Optional.empty())))
        .compose(finished -> store.takeOver(record, "recovery", now() + 60_000))
        .onComplete(test.succeeding(taken -> test.verify(() -> {
          assertThat(taken).isEmpty();
          test.completeNow();
        })));
  }

  @Test
  void expiredListsUnfinishedRecordsWhoseLeaseEndedAndNothingElse(VertxTestContext test) {
    long base = 10_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    IdempotencyRecord ended = started("owner-1", base);
    IdempotencyRecord running = started("owner-1", base + 5_000);
    IdempotencyRecord finished = started("owner-1", base);
    Future.all(store.claim(ended), store.claim(running), store.claim(finished))
        .compose(claimed -> store.finish(finished, CheckoutStep.DONE, new StoredResponse(201, "{}", Optional.empty())))
        .compose(done -> store.expired(base + 1, 1000))
        .onComplete(test.succeeding(expired -> test.verify(() -> {
          List<String> ids = ids(expired);
          assertThat(ids).contains(ended.ids().recordId());
          assertThat(ids).doesNotContain(running.ids().recordId(), finished.ids().recordId());
          assertThat(expired).filteredOn(r -> r.ids().equals(ended.ids())).containsExactly(ended);
          assertThat(expired).allSatisfy(r -> {
            assertThat(r.finished()).isFalse();
            assertThat(r.leaseUntilMs()).isLessThan(base + 1);
          });
          test.completeNow();
        })));
  }

  @Test
  void expiredReturnsAtMostTheLimitPerShard(VertxTestContext test) {
    List<Future<Optional<IdempotencyRecord>>> claims = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      claims.add(store.claim(started("owner-1", 2_000 + i)));
    }
    Future.all(claims)
        .compose(claimed -> store.expired(now(), 1))
        .onComplete(test.succeeding(expired -> test.verify(() -> {
          assertThat(expired).isNotEmpty();
          assertThat(expired.size()).as("one per shard at most").isLessThanOrEqualTo(DynamoIdempotencyStore.SHARDS);
          test.completeNow();
        })));
  }

  // ---- records

  private static IdempotencyRecord started(String owner, long leaseUntilMs) {
    return started(ids(), owner, leaseUntilMs);
  }

  private static IdempotencyRecord started(CheckoutIds ids, String owner, long leaseUntilMs) {
    OrderLine line = OrderLine.of("SKU-C1", "Contract mug", 2, Amount.of("19.99", "USD"), Optional.of("sale-1"));
    CheckoutPlan plan = new CheckoutPlan(List.of(line), OrderTotals.of(List.of(line)),
        List.of(new SaleClaim("sale-1", 2, 3)), 4);
    return new IdempotencyRecord(ids, ids.recordId().substring(0, ids.recordId().indexOf('#')), "hash-" + owner,
        CheckoutStep.PLANNED, Optional.of(plan), owner, leaseUntilMs, 0, Optional.empty(), createdAt());
  }

  private static CheckoutIds ids() {
    return CheckoutIds.of("cust-" + UUID.randomUUID(), "key-" + UUID.randomUUID());
  }

  private static List<String> ids(List<IdempotencyRecord> records) {
    return records.stream().map(r -> r.ids().recordId()).toList();
  }

  private static Instant createdAt() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
