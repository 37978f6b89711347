package io.webstore.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.error.Conflict;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link HoldRecords}, stated once and run against every adapter: a record is created once, moves
 * open → committing → committed or open → released and never back, a released hold cannot be committed, and {@code
 * scanLive} lists exactly the records that still hold units.
 */
@ExtendWith(VertxExtension.class)
abstract class HoldRecordsContract {

  /** The adapter under test; its records must not be changed by anything else while the test runs. */
  protected abstract Future<HoldRecords> createRecords();

  private HoldRecords records;

  @BeforeEach
  void records(VertxTestContext test) {
    createRecords().onComplete(test.succeeding(created -> {
      records = created;
      test.completeNow();
    }));
  }

  @Test
  void aNewRecordIsCreatedOnceAndFoundAsWritten(VertxTestContext test) {
    HoldRecord record = open(future());
    HoldRecord other = new HoldRecord(record.holdId(), HoldState.OPEN, "SKU-X:9", List.of(), future() + 1);
    records.create(record)
        .compose(created -> {
          test.verify(() -> assertThat(created).isEmpty());
          return records.create(other);
        })
        .compose(again -> {
          test.verify(() -> assertThat(again).as("the record that exists").contains(record));
          return records.find(record.holdId());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(record);
          test.completeNow();
        })));
  }

  @Test
  void concurrentCreatesHaveOneWinner(VertxTestContext test) {
    String holdId = holdId();
    List<Future<java.util.Optional<HoldRecord>>> creates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      creates.add(records.create(new HoldRecord(holdId, HoldState.OPEN, "SKU-A:" + (i + 1),
          List.of(new HoldPart("SKU-A", "w1#0", i + 1)), future())));
    }
    Future.all(creates).compose(all -> records.find(holdId)).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(creates.stream().filter(create -> create.result().isEmpty()).count()).isEqualTo(1);
      creates.forEach(create -> create.result().ifPresent(existing -> assertThat(existing).isEqualTo(found.get())));
      test.completeNow();
    })));
  }

  @Test
  void anUnknownHoldIsNotFound(VertxTestContext test) {
    records.find(holdId()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void refreshBringsAnOpenRecordInLineAndLeavesOthersAlone(VertxTestContext test) {
    HoldRecord record = open(future());
    HoldRecord retaken = new HoldRecord(record.holdId(), HoldState.OPEN, record.lines(),
        List.of(new HoldPart("SKU-A", "w2#1", 2)), future() + 5_000);
    HoldRecord released = open(future());
    records.create(record)
        .compose(created -> records.refreshOpen(retaken))
        .compose(refreshed -> records.find(record.holdId()))
        .compose(found -> {
          test.verify(() -> assertThat(found).contains(retaken));
          return records.create(released);
        })
        .compose(created -> records.markReleased(released.holdId()))
        .compose(done -> records.refreshOpen(new HoldRecord(released.holdId(), HoldState.OPEN, released.lines(),
            List.of(), 1)))
        .compose(ignored -> records.refreshOpen(open(future()))) // none stored: nothing to refresh
        .compose(ignored -> records.find(released.holdId()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(new HoldRecord(released.holdId(), HoldState.RELEASED, released.lines(),
              released.parts(), released.expiresAtMs()));
          test.completeNow();
        })));
  }

  @Test
  void anAbandonedCommitIsReleasedForGoodAndCanNoLongerBeCommitted(VertxTestContext test) {
    HoldRecord record = open(future());
    records.create(record)
        .compose(created -> records.markCommitting(record))
        .compose(committing -> records.markAbandoned(record.holdId()))
        .compose(abandoned -> records.markAbandoned(record.holdId())) // a repeat
        .compose(again -> records.markCommitted(record.holdId()).transform(late -> {
          test.verify(() -> assertThat(late.cause()).as("a late commit").isInstanceOf(Conflict.class));
          return records.markCommitting(record).transform(restart -> {
            test.verify(() -> assertThat(restart.cause()).as("a commit restarted").isInstanceOf(Conflict.class));
            return records.find(record.holdId());
          });
        }))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found.map(HoldRecord::state)).contains(HoldState.RELEASED);
          test.completeNow();
        })));
  }

  @Test
  void anOpenRecordIsCommittedThroughCommittingWithTheCommittedParts(VertxTestContext test) {
    HoldRecord record = open(future());
    List<HoldPart> parts = List.of(new HoldPart("SKU-A", "w1#0", 1), new HoldPart("SKU-A", "w2#0", 1));
    HoldRecord committing = new HoldRecord(record.holdId(), HoldState.OPEN, record.lines(), parts,
        record.expiresAtMs());
    records.create(record)
        .compose(created -> records.markCommitting(committing))
        .compose(state -> {
          test.verify(() -> assertThat(state).isEqualTo(HoldState.COMMITTING));
          return records.markCommitting(committing);
        })
        .compose(again -> {
          test.verify(() -> assertThat(again).as("a repeat").isEqualTo(HoldState.COMMITTING));
          return records.find(record.holdId());
        })
        .compose(found -> {
          test.verify(() -> assertThat(found).contains(new HoldRecord(record.holdId(), HoldState.COMMITTING,
              record.lines(), parts, record.expiresAtMs())));
          return records.markCommitted(record.holdId());
        })
        .compose(committed -> records.markCommitting(committing))
        .compose(late -> {
          test.verify(() -> assertThat(late).as("a commit that finished first").isEqualTo(HoldState.COMMITTED));
          return records.markReleased(record.holdId());
        })
        .compose(notReleased -> records.deleteIfOpen(record.holdId()))
        .compose(notDeleted -> records.find(record.holdId()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found.map(HoldRecord::state)).contains(HoldState.COMMITTED);
          assertThat(found.map(HoldRecord::parts)).contains(parts);
          test.completeNow();
        })));
  }

  @Test
  void aMissingRecordIsWrittenCommitting(VertxTestContext test) {
    HoldRecord record = open(future());
    records.markCommitting(record)
        .compose(state -> {
          test.verify(() -> assertThat(state).isEqualTo(HoldState.COMMITTING));
          return records.find(record.holdId());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(new HoldRecord(record.holdId(), HoldState.COMMITTING, record.lines(),
              record.parts(), record.expiresAtMs()));
          test.completeNow();
        })));
  }

  @Test
  void aReleasedRecordCannotBeCommitted(VertxTestContext test) {
    HoldRecord record = open(future());
    records.create(record)
        .compose(created -> records.markReleased(record.holdId()))
        .compose(released -> records.markReleased(record.holdId()))
        .compose(again -> records.markCommitting(record))
        .transform(committing -> {
          test.verify(() -> assertThat(committing.cause()).isInstanceOf(Conflict.class));
          return records.find(record.holdId());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found.map(HoldRecord::state)).contains(HoldState.RELEASED);
          test.completeNow();
        })));
  }

  @Test
  void markingAnUnknownHoldCommittedFailsItsCondition(VertxTestContext test) {
    records.markCommitted(holdId()).onComplete(test.failing(err -> test.verify(() -> {
      assertThat(err).isInstanceOf(ConditionFailed.class);
      test.completeNow();
    })));
  }

  @Test
  void onlyAnOpenRecordIsDeleted(VertxTestContext test) {
    HoldRecord open = open(future());
    HoldRecord committing = open(future());
    records.create(open)
        .compose(created -> records.markCommitting(committing))
        .compose(state -> records.deleteIfOpen(open.holdId()))
        .compose(deleted -> records.deleteIfOpen(committing.holdId()))
        .compose(kept -> records.deleteIfOpen(holdId())) // none there: done as well
        .compose(none -> Future.all(records.find(open.holdId()), records.find(committing.holdId())))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found.<java.util.Optional<HoldRecord>>resultAt(0)).isEmpty();
          assertThat(found.<java.util.Optional<HoldRecord>>resultAt(1).map(HoldRecord::state))
              .contains(HoldState.COMMITTING);
          test.completeNow();
        })));
  }

  @Test
  void scanLiveListsCommittingAndUnexpiredOpenRecordsOnly(VertxTestContext test) {
    long now = System.currentTimeMillis();
    HoldRecord live = open(now + 60_000);
    HoldRecord expired = open(now - 1);
    HoldRecord committing = open(now - 1);
    HoldRecord committed = open(now + 60_000);
    HoldRecord released = open(now + 60_000);
    Future.all(List.of(records.create(live), records.create(expired), records.create(committed),
            records.create(released), records.markCommitting(committing)))
        .compose(created -> records.markCommitting(committed))
        .compose(state -> records.markCommitted(committed.holdId()))
        .compose(done -> records.markReleased(released.holdId()))
        .compose(done -> records.scanLive(now))
        .onComplete(test.succeeding(scanned -> test.verify(() -> {
          List<String> ids = scanned.stream().map(HoldRecord::holdId).toList();
          assertThat(ids).contains(live.holdId(), committing.holdId())
              .doesNotContain(expired.holdId(), committed.holdId(), released.holdId());
          assertThat(scanned).filteredOn(r -> r.holdId().equals(live.holdId())).containsExactly(live);
          test.completeNow();
        })));
  }

  private static HoldRecord open(long expiresAtMs) {
    return new HoldRecord(holdId(), HoldState.OPEN, "SKU-A:2", List.of(new HoldPart("SKU-A", "w1#0", 2)),
        expiresAtMs);
  }

  private static long future() {
    return System.currentTimeMillis() + 600_000;
  }

  private static String holdId() {
    return "hold-" + UUID.randomUUID();
  }
}
