package io.webstore.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the store answered per step, beside Gatling's own statistics: Gatling counts a shed attempt (503 with
 * {@code Retry-After}, 429) as a successful request, because shedding is the store's designed answer to a flood,
 * so the numbers of shed and limited attempts, and of users who gave up, are kept here and printed after the run.
 */
final class Tally {

  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  private Tally() {}

  static void count(String step, String outcome) {
    COUNTS.computeIfAbsent(step + " " + outcome, key -> new LongAdder()).increment();
  }

  static long get(String step, String outcome) {
    LongAdder adder = COUNTS.get(step + " " + outcome);
    return adder == null ? 0 : adder.sum();
  }

  /** One line per step: every answer by status, shed (503), limited (429) and gave up. */
  static String report(String simulation) {
    Map<String, Map<String, Long>> byStep = new TreeMap<>();
    COUNTS.forEach((key, adder) -> {
      int space = key.lastIndexOf(' ');
      byStep.computeIfAbsent(key.substring(0, space), step -> new TreeMap<>())
          .put(key.substring(space + 1), adder.sum());
    });
    StringBuilder out = new StringBuilder("---- " + simulation + ": answers per step (attempts, retries included) ----\n");
    byStep.forEach((step, outcomes) -> out.append(String.format("%-22s %s%n", step, outcomes)));
    return out.toString();
  }
}
