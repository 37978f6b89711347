package io.webstore.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (tests never sleep for a fixed time). */
public final class Deadline {

  private Deadline() {}

  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** Polls {@code probe} until it returns a non-null value, which is returned; fails after {@code timeout}. */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      try {
        Thread.sleep(20); // a poll interval between checks of a condition, not a wait for an outcome
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
