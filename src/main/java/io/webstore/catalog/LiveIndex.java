package io.webstore.catalog;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * An in-process copy of a whole (small) table, keyed by id, with a view derived from it that readers use without
 * locks. Single changes apply at once; a full reload that ran while changes were applied keeps those changes, so a
 * scan that started before an admin change never brings the old value back.
 *
 * <p>One writer: every method but {@link #view} runs on its owner's context (the {@link CatalogReloader}'s), so the
 * entries need no lock; the view is published through a volatile field to readers on any thread.
 *
 * @param <T> the entry type
 * @param <V> the derived view, rebuilt on every change (the table is small)
 */
final class LiveIndex<T, V> {

  private final Function<Map<String, T>, V> viewOf;
  private Map<String, T> entries = Map.of(); // replaced, never mutated
  private final Map<String, Long> changedAt = new HashMap<>();
  private long changes;
  private volatile V view;

  LiveIndex(Function<Map<String, T>, V> viewOf) {
    this.viewOf = viewOf;
    this.view = viewOf.apply(entries);
  }

  V view() {
    return view;
  }

  T get(String key) {
    return entries.get(key);
  }

  /** Sets (or, with null, removes) one entry. */
  void apply(String key, T value) {
    Map<String, T> one = new HashMap<>();
    one.put(key, value);
    applyAll(one);
  }

  /**
   * Sets (or, where the value is null, removes) several entries, with one copy of the table and one rebuild of the
   * view for all of them (a feed batch of a thousand products costs one rebuild, not a thousand).
   */
  void applyAll(Map<String, T> values) {
    if (values.isEmpty()) {
      return;
    }
    Map<String, T> next = new HashMap<>(entries);
    values.forEach((key, value) -> {
      if (value == null) {
        next.remove(key);
      } else {
        next.put(key, value);
      }
      changedAt.put(key, ++changes);
    });
    replace(next);
  }

  /** Marks the start of a full reload; pass the mark to {@link #completeReload}. Reloads must not overlap. */
  long beginReload() {
    return changes;
  }

  /** Replaces every entry with what the reload read, except the entries changed since {@code mark}. */
  void completeReload(long mark, Map<String, T> loaded) {
    Map<String, T> next = new HashMap<>(loaded);
    changedAt.forEach((key, at) -> {
      if (at > mark) {
        T current = entries.get(key);
        if (current == null) {
          next.remove(key);
        } else {
          next.put(key, current);
        }
      }
    });
    changedAt.values().removeIf(at -> at <= mark);
    replace(next);
  }

  private void replace(Map<String, T> next) {
    entries = Map.copyOf(next);
    view = viewOf.apply(entries);
  }
}
