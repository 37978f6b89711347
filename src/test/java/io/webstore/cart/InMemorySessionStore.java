package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SessionStore} in memory, with the condition of {@link DynamoSessionStore}: a session is created only under a
 * sid not taken (otherwise a {@link Conflict}); its expiry is kept to the second, as the table's epoch-seconds TTL
 * attribute keeps it; expiry is not checked here (the reader checks it).
 */
final class InMemorySessionStore implements SessionStore {

  private final Map<String, Session> sessions = new HashMap<>();

  @Override
  public synchronized Future<Optional<Session>> find(String sid) {
    return Future.succeededFuture(Optional.ofNullable(sessions.get(sid)));
  }

  @Override
  public synchronized Future<Session> create(Session session) {
    Session stored = new Session(session.sid(), session.createdAt(),
        Instant.ofEpochSecond(session.expiresAt().getEpochSecond()));
    if (sessions.putIfAbsent(session.sid(), stored) != null) {
      return Future.failedFuture(new Conflict("session id taken"));
    }
    return Future.succeededFuture(session);
  }
}
