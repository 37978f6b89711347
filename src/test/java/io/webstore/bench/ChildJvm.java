package io.webstore.bench;

import io.webstore.testing.Deadline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JVM the bench starts (engines, ceiling, store): its output (stdout and stderr) goes straight to a log file, its
 * stdin is held open as a pipe (children that run "until stdin closes" die with the bench), and {@code /proc} says
 * how it runs (resident memory, CPU time).
 *
 * <p>The output does not pass through this JVM: the store prints an access-log line per request, thousands a second,
 * and this JVM is the load generator, whose CPU the store's scenarios share. Lines are read back from the file only
 * when awaited.
 */
final class ChildJvm implements AutoCloseable {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private static final int TAIL_LINES = 25;

  private final String name;
  private final Process process;
  private final long startedNanos;
  private final Path log;

  private ChildJvm(String name, Process process, long startedNanos, Path log) {
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
  }

  /** Starts {@code command} in {@code directory} with {@code env} added (every inherited WEBSTORE_* removed). */
  static ChildJvm start(String name, List<String> command, Map<String, String> env, Path directory, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("WEBSTORE_"));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      long started = System.nanoTime();
      ChildJvm child = new ChildJvm(name, builder.start(), started, log);
      Runtime.getRuntime().addShutdownHook(new Thread(child.process::destroyForcibly));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  long pid() {
    return process.pid();
  }

  long startedNanos() {
    return startedNanos;
  }

  /** The first line containing {@code text}, waiting for it; fails with the last lines if the process ends first. */
  String awaitLine(String text, Duration timeout) {
    try {
      Deadline.await(name + " printing '" + text + "'", timeout, () -> find(text).isPresent() || !process.isAlive());
    } catch (AssertionError timedOut) {
      throw new IllegalStateException(timedOut.getMessage() + "; last lines:\n" + tail());
    }
    return find(text).orElseThrow(() -> new IllegalStateException(
        name + " ended (exit " + exitCode() + ") without printing '" + text + "'; last lines:\n" + tail()));
  }

  private String exitCode() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /** The first line of the output containing {@code text} so far (a scan of the log: for start-up lines). */
  Optional<String> find(String text) {
    try (Stream<String> lines = outputLines()) {
      return lines.filter(line -> line.contains(text)).findFirst();
    }
  }

  String tail() {
    ArrayDeque<String> tail = new ArrayDeque<>();
    try (Stream<String> lines = outputLines()) {
      lines.forEach(line -> {
        if (tail.size() == TAIL_LINES) {
          tail.removeFirst();
        }
        tail.addLast(line);
      });
    }
    return String.join("\n", tail);
  }

  private Stream<String> outputLines() {
    BufferedReader reader;
    try {
      // a line a child is still writing may end in a partial character: replace it, never fail
      reader = new BufferedReader(new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)));
    } catch (IOException e) {
      return Stream.empty();
    }
    return reader.lines().onClose(() -> {
      try {
        reader.close();
      } catch (IOException ignored) {
        // read-only; nothing to keep
      }
    });
  }

  /** Resident set size in MiB ({@code VmRSS} of {@code /proc/<pid>/status}). */
  double rssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return 0;
  }

  /** User plus system CPU time in seconds ({@code /proc/<pid>/stat}, fields 14 and 15). */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** SIGTERM and wait up to {@code timeout}; returns the exit code, or -1 when it had to be killed. */
  int terminate(Duration timeout) {
    process.destroy();
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    return -1;
  }

  /** Closes stdin (children that wait on it stop themselves), then makes sure the process is gone. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
