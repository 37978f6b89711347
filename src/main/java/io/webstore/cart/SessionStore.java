package io.webstore.cart;

import io.vertx.core.Future;
import java.util.Optional;

/** Where guest sessions live, by id. Expiry is checked by the reader (the dev engine has no TTL). */
interface SessionStore {

  /** The session, expired or not; empty when unknown. */
  Future<Optional<Session>> find(String sid);

  /** Stores a new session; fails with {@link io.webstore.platform.error.Conflict} if the id is taken. */
  Future<Session> create(Session session);
}
