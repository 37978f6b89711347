package io.webstore.flags;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** The flags table: one item per flag, written conditionally on its version. */
interface FlagStore {

  /** Every flag, read strongly consistent (a flag just saved is included). */
  Future<List<Flag>> all();

  /** The flag, read strongly consistent, or empty when it is not in the table. */
  Future<Optional<Flag>> find(String name);

  /**
   * Stores {@code flag} if the stored version is still {@code expectedVersion} (0: the flag must not exist yet).
   * Fails with {@link io.webstore.platform.error.Conflict} when another change came first.
   */
  Future<Flag> save(Flag flag, long expectedVersion);
}
