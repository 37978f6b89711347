package io.webstore.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters and timers of one registry, each built and registered once per name and tags, then found again by a hash
 * lookup. Building a meter and registering it (what {@code Counter.builder(...).register(meters)} does) sorts its tags
 * and makes an id on every call: measurable on paths that run for every request.
 *
 * <p>{@link #of} shares one cache per registry; {@link #forget} drops it when its store stops.
 */
public final class MeterCache {

  private static final Map<MeterRegistry, MeterCache> BY_REGISTRY = new ConcurrentHashMap<>();

  private record Key(String name, String[] tags) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && name.equals(key.name) && Arrays.equals(tags, key.tags);
    }

    @Override
    public int hashCode() {
      return 31 * name.hashCode() + Arrays.hashCode(tags);
    }
  }

  private final MeterRegistry registry;
  private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  private MeterCache(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The cache of {@code registry}. */
  public static MeterCache of(MeterRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, MeterCache::new);
  }

  /** Forgets the cache of {@code registry} (its store stopped). */
  public static void forget(MeterRegistry registry) {
    BY_REGISTRY.remove(registry);
  }

  /** The counter {@code name} with {@code tags} (alternating keys and values). */
  public Counter counter(String name, String... tags) {
    return counters.computeIfAbsent(new Key(name, tags),
        key -> Counter.builder(name).tags(tags).register(registry));
  }

  /** The counter {@code name} with {@code tags}, described by {@code description} when it is first registered. */
  public Counter describedCounter(String name, String description, String... tags) {
    return counters.computeIfAbsent(new Key(name, tags),
        key -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  /** The timer {@code name} with {@code tags} (alternating keys and values). */
  public Timer timer(String name, String... tags) {
    return timers.computeIfAbsent(new Key(name, tags), key -> Timer.builder(name).tags(tags).register(registry));
  }
}
