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
}
