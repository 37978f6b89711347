package io.webstore.platform.bootstrap;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * A feature's own object (its catalog, its inventory), registered with the process's Vert.x instance while the feature
 * runs in it, so that the feature's client can answer on the caller's event loop instead of through the feature's
 * address: no two messages, no JSON copy each way, no wake-up of another event loop. Only for objects built for
 * concurrent use, whose answer is the same whichever loop asks. Where the feature does not run in the process
 * (disabled, or another store), {@link #of} is null and callers use the bus.
 *
 * @param <T> the registered object's type
 */
public final class InProcess<T> {

  private static final String MAP = "webstore.in-process";

  /** The value a {@link LocalMap} holds: the map refuses objects that are not {@link Shareable}. */
  private record Entry(Object object) implements Shareable {}

  private final String name;

  /** {@code name}: the registered object's key, one per feature. */
  public InProcess(String name) {
    this.name = name;
  }

  /** Makes {@code object} the one that clients on {@code vertx} use. */
  public void register(Vertx vertx, T object) {
    map(vertx).put(name, new Entry(object));
  }

  /** Forgets {@code object} if it is the one registered (its feature stops). */
  public void unregister(Vertx vertx, T object) {
    LocalMap<String, Entry> map = map(vertx);
    Entry current = map.get(name);
    if (current != null && current.object() == object) {
      map.removeIfPresent(name, current);
    }
  }

  /** The object registered on {@code vertx}, or null when its feature does not run in this process. */
  @SuppressWarnings("unchecked") // only register puts values under this name, typed T
  public T of(Vertx vertx) {
    Entry entry = map(vertx).get(name);
    return entry == null ? null : (T) entry.object();
  }

  private static LocalMap<String, Entry> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
