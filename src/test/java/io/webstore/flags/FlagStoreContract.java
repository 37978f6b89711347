package io.webstore.flags;

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
 * The contract of {@link FlagStore}, stated once and run against every adapter: a flag is created once (expected
 * version 0), every later save is conditional on the version read, so of writers that read the same version exactly
 * one wins and a stale one is a {@link Conflict} that changes nothing; a saved flag reads back whole, alone and in
 * the listing of all flags.
 */
@ExtendWith(VertxExtension.class)
abstract class FlagStoreContract {

  /** The adapter under test; it may hold flags of other tests, but none with this contract's names. */
  protected abstract Future<FlagStore> createStore();

  private FlagStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void aCreatedFlagIsFoundAsWritten(VertxTestContext test) {
    Flag flag = flag(name(), true, 30, Optional.of("the new checkout page"), 1);
    store.save(flag, 0)
        .compose(saved -> {
          test.verify(() -> assertThat(saved).isEqualTo(flag));
          return store.find(flag.name());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(flag);
          test.completeNow();
        })));
  }

  @Test
  void aFlagWithoutDescriptionReadsBackWithoutOne(VertxTestContext test) {
    Flag flag = flag(name(), false, 0, Optional.empty(), 1);
    store.save(flag, 0)
        .compose(saved -> store.find(flag.name()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(flag);
          test.completeNow();
        })));
  }

  @Test
  void anUnknownFlagIsEmpty(VertxTestContext test) {
    store.find(name()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void creatingAnExistingFlagIsAConflictAndChangesNothing(VertxTestContext test) {
    String name = name();
    Flag first = flag(name, true, 10, Optional.empty(), 1);
    store.save(first, 0)
        .compose(saved -> store.save(flag(name, false, 90, Optional.of("again"), 1), 0))
        .transform(again -> {
          test.verify(() -> assertThat(again.cause()).isInstanceOf(Conflict.class));
          return store.find(name);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(first);
          test.completeNow();
        })));
  }

  @Test
  void eachSaveOnTheVersionReadReplacesTheFlag(VertxTestContext test) {
    String name = name();
    Flag second = flag(name, true, 50, Optional.of("half"), 2);
    Flag third = flag(name, true, 100, Optional.empty(), 3);
    store.save(flag(name, false, 0, Optional.of("off"), 1), 0)
        .compose(first -> store.save(second, first.version()))
        .compose(saved -> store.save(third, saved.version()))
        .compose(saved -> {
          test.verify(() -> assertThat(saved).isEqualTo(third));
          return store.find(name);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(third);
          test.completeNow();
        })));
  }

  @Test
  void aSaveOnAStaleVersionIsAConflictAndChangesNothing(VertxTestContext test) {
    String name = name();
    Flag second = flag(name, true, 50, Optional.empty(), 2);
    store.save(flag(name, false, 0, Optional.empty(), 1), 0)
        .compose(first -> store.save(second, 1))
        .compose(saved -> store.save(flag(name, true, 5, Optional.empty(), 2), 1))
        .transform(stale -> {
          test.verify(() -> assertThat(stale.cause()).isInstanceOf(Conflict.class));
          return store.find(name);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(second);
          test.completeNow();
        })));
  }

  @Test
  void aSaveOnAVersionOfAFlagNeverStoredIsAConflict(VertxTestContext test) {
    String name = name();
    store.save(flag(name, true, 100, Optional.empty(), 4), 3)
        .transform(ghost -> {
          test.verify(() -> assertThat(ghost.cause()).isInstanceOf(Conflict.class));
          return store.find(name);
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEmpty();
          test.completeNow();
        })));
  }

  @Test
  void concurrentCreatesHaveExactlyOneWinner(VertxTestContext test) {
    String name = name();
    List<Future<Flag>> creates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      creates.add(store.save(flag(name, true, i * 10, Optional.of("writer " + i), 1), 0));
    }
    Future.join(creates).otherwiseEmpty()
        .compose(done -> store.find(name))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(creates.stream().filter(Future::succeeded).count()).isEqualTo(1);
          assertThat(creates.stream().filter(Future::failed).map(Future::cause))
              .allSatisfy(err -> assertThat(err).isInstanceOf(Conflict.class));
          assertThat(found).contains(creates.stream().filter(Future::succeeded).findFirst().orElseThrow().result());
          test.completeNow();
        })));
  }

  @Test
  void writersOfTheSameReadHaveExactlyOneWinner(VertxTestContext test) {
    String name = name();
    store.save(flag(name, false, 0, Optional.empty(), 1), 0)
        .compose(read -> {
          List<Future<Flag>> saves = new ArrayList<>();
          for (int i = 0; i < 6; i++) {
            saves.add(store.save(flag(name, true, i * 10, Optional.of("writer " + i), 2), read.version()));
          }
          return Future.join(saves).otherwiseEmpty().map(done -> saves);
        })
        .compose(saves -> store.find(name).map(found -> {
          test.verify(() -> {
            assertThat(saves.stream().filter(Future::succeeded).count()).isEqualTo(1);
            assertThat(saves.stream().filter(Future::failed).map(Future::cause))
                .allSatisfy(err -> assertThat(err).isInstanceOf(Conflict.class));
            assertThat(found).contains(saves.stream().filter(Future::succeeded).findFirst().orElseThrow().result());
          });
          return found;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void allListsEveryFlagAsLastSaved(VertxTestContext test) {
    Flag kept = flag(name(), true, 25, Optional.of("kept"), 1);
    Flag changed = flag(name(), true, 75, Optional.of("changed"), 2);
    store.save(kept, 0)
        .compose(saved -> store.save(flag(changed.name(), false, 0, Optional.empty(), 1), 0))
        .compose(saved -> store.save(changed, 1))
        .compose(saved -> store.all())
        .onComplete(test.succeeding(all -> test.verify(() -> {
          assertThat(all).contains(kept, changed);
          assertThat(all.stream().filter(flag -> flag.name().equals(changed.name()))).containsExactly(changed);
          assertThat(all.stream().map(Flag::name)).doesNotHaveDuplicates();
          test.completeNow();
        })));
  }

  private static Flag flag(String name, boolean enabled, int percentage, Optional<String> description, long version) {
    return new Flag(name, enabled, percentage, description, version,
        Instant.parse("2025-03-01T10:00:00.000Z").plusSeconds(version).plusMillis(7), "admin-" + version);
  }

  private static String name() {
    return "contract-" + UUID.randomUUID();
  }
}
