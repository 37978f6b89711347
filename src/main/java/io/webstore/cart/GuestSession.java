package io.webstore.cart;

import java.time.Instant;

/**
 * The guest session a request goes on with: the one it named, when that one is known and unexpired, else a new one
 * ({@code created}), which the client must be told about.
 */
public record GuestSession(String sid, Instant expiresAt, boolean created) {

  /** The owner key of this session's cart. */
  public String owner() {
    return Owners.session(sid);
  }
}
