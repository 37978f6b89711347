package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LiveIndexTest {

  private final LiveIndex<String, Map<String, String>> index = new LiveIndex<>(TreeMap::new);

  @Test
  void aReloadKeepsChangesMadeWhileItRan() {
    index.apply("a", "a1");
    index.apply("b", "b1");
    long mark = index.beginReload();
    // the reload reads the table; meanwhile an admin changes a, deletes b and creates c
    index.apply("a", "a2");
    index.apply("b", null);
    index.apply("c", "c1");
    index.completeReload(mark, Map.of("a", "a1", "b", "b1", "d", "d1"));
    assertThat(index.view()).isEqualTo(Map.of("a", "a2", "c", "c1", "d", "d1"));
  }

  @Test
  void aLaterReloadTakesWhatTheTableSays() {
    index.apply("a", "a2");
    long first = index.beginReload();
    index.completeReload(first, Map.of("a", "a2"));
    long second = index.beginReload();
    index.completeReload(second, Map.of("a", "a3", "e", "e1")); // changed elsewhere, no invalidation seen
    assertThat(index.view()).isEqualTo(Map.of("a", "a3", "e", "e1"));
  }

  @Test
  void aBatchAppliesInOneViewAndAReloadKeepsIt() {
    java.util.concurrent.atomic.AtomicInteger views = new java.util.concurrent.atomic.AtomicInteger();
    LiveIndex<String, Map<String, String>> counted = new LiveIndex<>(entries -> {
      views.incrementAndGet();
      return new TreeMap<>(entries);
    });
    counted.apply("a", "a1");
    counted.apply("b", "b1");
    long mark = counted.beginReload();
    int before = views.get();
    Map<String, String> batch = new java.util.HashMap<>();
    batch.put("a", "a2");
    batch.put("b", null); // deleted
    batch.put("c", "c1");
    counted.applyAll(batch);
    assertThat(views.get() - before).as("one rebuild for the whole batch").isEqualTo(1);
    counted.completeReload(mark, Map.of("a", "a1", "b", "b1"));
    assertThat(counted.view()).isEqualTo(Map.of("a", "a2", "c", "c1"));
  }
}
