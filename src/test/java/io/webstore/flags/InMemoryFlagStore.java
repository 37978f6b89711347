package io.webstore.flags;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link FlagStore} in memory, with the condition of {@link DynamoFlagStore}: a save lands only when the stored
 * version is the one expected (0: no flag stored), and stores the flag as given; anything else is a {@link
 * Conflict}.
 */
final class InMemoryFlagStore implements FlagStore {

  private final Map<String, Flag> flags = new TreeMap<>();

  @Override
  public synchronized Future<List<Flag>> all() {
    return Future.succeededFuture(List.copyOf(flags.values()));
  }

  @Override
  public synchronized Future<Optional<Flag>> find(String name) {
    return Future.succeededFuture(Optional.ofNullable(flags.get(name)));
  }

  @Override
  public synchronized Future<Flag> save(Flag flag, long expectedVersion) {
    Flag stored = flags.get(flag.name());
    boolean lands = expectedVersion == 0 ? stored == null : stored != null && stored.version() == expectedVersion;
    if (!lands) {
      return Future.failedFuture(new Conflict("flag " + flag.name() + (expectedVersion == 0
          ? " was created meanwhile" : " is no longer at version " + expectedVersion) + "; reload it and retry"));
    }
    flags.put(flag.name(), flag);
    return Future.succeededFuture(flag);
  }
}
