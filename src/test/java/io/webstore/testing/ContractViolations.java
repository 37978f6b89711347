package io.webstore.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every contract violation seen in this test JVM (an HTTP response that breaks {@code openapi.yaml}, an event-bus
 * message that breaks its declaration in {@code src/main/resources/bus/}, see {@link BusContract}), and the JUnit
 * extension that fails the test during which one was seen. The checks run on event loops of the clients, where no
 * assertion can reach the test;
 * so they record here, and this extension, registered for every test of the suite (service loader, JUnit's extension
 * autodetection in {@code junit-platform.properties}), turns what was recorded during a test into its failure, also
 * when the test swallowed the failed future. What background work breaks between two tests fails the next test.
 */
public final class ContractViolations implements AfterEachCallback {

  private static final List<String> seen = new ArrayList<>();
  private static final int SHOWN = 10;

  public static void record(String violation) {
    synchronized (seen) {
      seen.add(violation);
    }
  }

  /** Everything recorded so far, forgotten once returned. */
  public static List<String> drain() {
    synchronized (seen) {
      List<String> drained = List.copyOf(seen);
      seen.clear();
      return drained;
    }
  }

  /**
   * Takes out the violations recorded so far that start with {@code prefix}, leaving the others to fail the test: for
   * a test that breaks a contract on purpose (a malformed request, to see the verticle reject it), which then asserts
   * that the break was seen.
   */
  public static List<String> take(String prefix) {
    synchronized (seen) {
      List<String> taken = seen.stream().filter(violation -> violation.startsWith(prefix)).toList();
      seen.removeAll(taken);
      return taken;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> during = drain();
    if (!during.isEmpty()) {
      throw new AssertionError(during.size() + " contract violation(s) during this test:\n  "
          + String.join("\n  ", during.subList(0, Math.min(SHOWN, during.size())))
          + (during.size() > SHOWN ? "\n  ..." : ""));
    }
  }
}
