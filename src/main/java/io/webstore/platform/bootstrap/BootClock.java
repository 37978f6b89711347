package io.webstore.platform.bootstrap;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Where a start's time goes: the wall time since the JVM started and the CPU time the whole process (every thread,
 * the JIT's included) has spent so far, read at each boot step. On a busy machine the CPU time is the steadier of the
 * two: what a step costs, not how long it waited for a core.
 */
public final class BootClock {

  private static final long JVM_START_MS = ManagementFactory.getRuntimeMXBean().getStartTime();

  private BootClock() {}

  /** Milliseconds since the JVM started. */
  public static long sinceJvmStartMs() {
    return System.currentTimeMillis() - JVM_START_MS;
  }

  /** CPU milliseconds the process has spent so far, or -1 where the JVM cannot tell. */
  public static long processCpuMs() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      long nanos = os.getProcessCpuTime();
      return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
    }
    return -1;
  }

  /** {@code at_ms=<since JVM start> cpu_ms=<process CPU>}, for a boot step's log line. */
  public static String stamp() {
    return "at_ms=" + sinceJvmStartMs() + " cpu_ms=" + processCpuMs();
  }
}
