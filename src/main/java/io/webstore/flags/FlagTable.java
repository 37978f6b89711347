package io.webstore.flags;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** A snapshot of the flags table (what an instance caches), and how it answers for one targeting key. */
record FlagTable(Map<String, Flag> byName) {

  public FlagTable {
    byName = Map.copyOf(byName);
  }

  public static FlagTable of(Collection<Flag> flags) {
    Map<String, Flag> byName = new TreeMap<>();
    flags.forEach(flag -> byName.put(flag.name(), flag));
    return new FlagTable(byName);
  }

  /** Every flag's value for {@code targetingKey}: the table's rule, or {@code defaults} for a flag not in the table. */
  public Map<String, Boolean> evaluate(String targetingKey, Map<String, Boolean> defaults) {
    Map<String, Boolean> values = new TreeMap<>(defaults);
    byName.values().forEach(flag -> values.put(flag.name(), flag.isOnFor(targetingKey)));
    return values;
  }
}
