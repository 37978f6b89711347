package io.webstore.cart;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link SessionStore}, stated once and run against every adapter: a session is created once (a taken
 * sid is a {@link Conflict} and leaves the stored session as it was), is found as written (its expiry kept to the
 * second), expired or not (expiry is the reader's to check), and an unknown sid is absent.
 */
@ExtendWith(VertxExtension.class)
abstract class SessionStoreContract {

  /** The adapter under test. */
  protected abstract Future<SessionStore> createStore();

  private SessionStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void anUnknownSidIsAbsent(VertxTestContext test) {
    store.find(session(3600).sid()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void aCreatedSessionIsFoundAsWritten(VertxTestContext test) {
    Session session = session(3600);
    store.create(session)
        .compose(created -> {
          test.verify(() -> assertThat(created).isEqualTo(session));
          return store.find(session.sid());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(session);
          test.completeNow();
        })));
  }

  @Test
  void anExpiredSessionIsStillFound(VertxTestContext test) {
    Session expired = session(-60);
    store.create(expired)
        .compose(created -> store.find(expired.sid()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(expired);
          assertThat(found.get().activeAt(Instant.now())).isFalse();
          test.completeNow();
        })));
  }

  @Test
  void aTakenSidIsAConflictAndKeepsTheFirstSession(VertxTestContext test) {
    Session first = session(3600);
    Session second = new Session(first.sid(), first.createdAt().plusSeconds(5), first.expiresAt().plusSeconds(600));
    store.create(first)
        .compose(created -> store.create(second))
        .transform(again -> {
          test.verify(() -> assertThat(again.cause()).isInstanceOf(Conflict.class));
          return store.find(first.sid());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).contains(first);
          test.completeNow();
        })));
  }

  @Test
  void concurrentCreatesOfOneSidHaveExactlyOneWinner(VertxTestContext test) {
    Session base = session(3600);
    List<Session> sessions = new ArrayList<>();
    List<Future<Session>> creates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Session candidate = new Session(base.sid(), base.createdAt(), base.expiresAt().plusSeconds(i));
      sessions.add(candidate);
      creates.add(store.create(candidate));
    }
    Future.join(creates).otherwiseEmpty()
        .compose(done -> store.find(base.sid()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(creates.stream().filter(Future::succeeded).count()).isEqualTo(1);
          assertThat(creates.stream().filter(Future::failed).map(Future::cause))
              .allSatisfy(err -> assertThat(err).isInstanceOf(Conflict.class));
          Optional<Session> winner = creates.stream().filter(Future::succeeded).map(Future::result).findFirst();
          assertThat(found).isEqualTo(winner);
          test.completeNow();
        })));
  }

  /** A fresh session expiring {@code seconds} from now; expiry is stored to the second. */
  private static Session session(long seconds) {
    Instant now = Instant.now();
    return Session.start(now, now.plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS));
  }
}
