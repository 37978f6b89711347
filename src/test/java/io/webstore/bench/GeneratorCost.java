package io.webstore.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the bench's own JVM spends per request ({@code make bench-generator}): the load generator against a bare
 * server in a JVM of its own ({@link CeilingServer}) that prints one line per request to stdout, as the store's access
 * log does. Runs a closed loop and an open run at a fixed rate (each {@code bench.seconds}, {@code
 * bench.connections} connections over {@code bench.lanes} event loops, open at {@code bench.openRate} per second) and
 * prints, per run, this JVM's CPU per 1,000 answers, split by thread (event loops, the child's output pump, the rest:
 * GC, JIT and other threads), beside the server's CPU per 1,000 answers. Run it while nothing else loads the machine,
 * or read it as a ratio.
 */
public final class GeneratorCost {

  private GeneratorCost() {}

  public static void main(String[] args) throws Exception {
    Duration run = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    int connections = Integer.getInteger("bench.connections", 64);
    int lanes = Integer.getInteger("bench.lanes", 2);
    double openRate = Double.parseDouble(System.getProperty("bench.openRate", "5000"));
    Path dir = Path.of(System.getProperty("bench.out", "target/bench")).resolve("generator-cost");
    Files.createDirectories(dir);
    Path document = dir.resolve("document.json");
    Files.writeString(document, "{\"sku\":\"SKU-AUT-001\",\"name\":\"a product document of a few hundred bytes\","
        + "\"price\":{\"amount\":1999,\"currency\":\"EUR\"},\"stock\":{\"available\":12}}");
    Vertx vertx = Vertx.vertx();
    try (ChildJvm server = ChildJvm.start("logging-server", List.of(ChildJvm.java(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), CeilingServer.class.getName(), document.toString(),
        "application/json", "--log-each-request"), Map.of(), Path.of("").toAbsolutePath(),
        dir.resolve("logging-server.log"))) {
      Matcher port = Pattern.compile("port=(\\d+)").matcher(server.awaitLine("CEILING_READY", Duration.ofMinutes(2)));
      if (!port.find()) {
        throw new IllegalStateException("no port in the server's ready line");
      }
      int serverPort = Integer.parseInt(port.group(1));
      LoadGenerator generator = Engines.await(LoadGenerator.create(vertx, lanes));
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Session-Id", "guest-session-of-the-cost-run");
      LoadGenerator.Requests requests = i -> new LoadGenerator.Shot(HttpMethod.GET, "/api/v1/products/SKU-AUT-001",
          headers, null);
      Engines.await(generator.closed(serverPort, connections, Duration.ofSeconds(3), requests), Duration.ofMinutes(2));
      outputCost(dir, Integer.getInteger("bench.outputLines", 100_000));
      measure("closed", server, () -> generator.closed(serverPort, connections, run, requests));
      measure("open " + Math.round(openRate) + "/s", server,
          () -> generator.open(serverPort, connections, openRate, run, requests));
    } finally {
      Engines.await(vertx.close());
    }
  }

  private static void measure(String name, ChildJvm server,
      Supplier<Future<LoadGenerator.Outcome>> run) {
    Map<String, Long> threadsBefore = threadCpuNanos();
    double serverBefore = server.cpuSeconds();
    long processBefore = processCpuNanos();
    LoadGenerator.Outcome outcome = Engines.await(run.get(), Duration.ofMinutes(5));
    long process = processCpuNanos() - processBefore;
    double serverCpu = server.cpuSeconds() - serverBefore;
    Map<String, Long> threads = new TreeMap<>();
    threadCpuNanos().forEach((thread, nanos) -> threads.merge(group(thread),
        nanos - threadsBefore.getOrDefault(thread, 0L), Long::sum));
    long answers = outcome.statuses().values().stream().mapToLong(Long::longValue).sum();
    long javaThreads = threads.values().stream().mapToLong(Long::longValue).sum();
    threads.put("gc_jit_vm", process - javaThreads);
    StringBuilder split = new StringBuilder();
    threads.forEach((group, nanos) -> split.append(String.format(Locale.ROOT, " %s=%.1f", group,
        perThousandMs(nanos, answers))));
    System.out.printf(Locale.ROOT, "GENERATOR_COST run=%s answers=%d rps=%.0f generator_cpu_ms_per_1k=%.1f "
            + "server_cpu_ms_per_1k=%.1f generator_cores=%.2f by_thread:%s%n", name.replace(' ', '_'), answers,
        outcome.rps(), perThousandMs(process, answers), perThousandMs((long) (serverCpu * 1e9), answers),
        outcome.generatorCpuCores(), split);
    System.out.println("  " + outcome);
  }

  /**
   * What the bench's JVM spends on a child's output alone: a child that prints {@code lines} access-log-sized lines
   * (what the store prints in well under a minute of a scenario), until it has ended and its output is in its log.
   */
  private static void outputCost(Path dir, int lines) {
    String line = "2026-01-01T00:00:00.000Z INFO  [vert.x-eventloop-thread-0] io.webstore.access - http.access "
        + "request=00000000-0000-0000-0000-000000000000 method=GET route=/api/v1/products/{sku} status=200 "
        + "duration_ms=1";
    Path log = dir.resolve("printer.log");
    long before = processCpuNanos();
    long started = System.nanoTime();
    try (ChildJvm printer = ChildJvm.start("printer", List.of("sh", "-c", "yes '" + line + "' | head -n " + lines),
        Map.of(), Path.of("").toAbsolutePath(), log)) {
      Deadline.await("the printer's " + lines + " lines in its log", Duration.ofMinutes(5), () -> {
        try {
          return Files.exists(log) && Files.size(log) >= (long) lines * (line.length() + 1);
        } catch (java.io.IOException e) {
          return false;
        }
      });
    }
    long cpu = processCpuNanos() - before;
    System.out.printf(Locale.ROOT, "GENERATOR_COST run=child_output lines=%d generator_cpu_ms_per_1k=%.2f "
            + "wall_ms=%d%n", lines, perThousandMs(cpu, lines), (System.nanoTime() - started) / 1_000_000);
  }

  private static double perThousandMs(long nanos, long answers) {
    return nanos / 1e6 * 1000 / Math.max(1, answers);
  }

  private static String group(String threadAndId) {
    String thread = threadAndId.substring(0, threadAndId.lastIndexOf('#'));
    if (thread.startsWith("vert.x-eventloop")) {
      return "event_loops";
    }
    if (thread.startsWith("bench-") && thread.endsWith("-output")) {
      return "child_output";
    }
    return "other_java_threads";
  }

  private static Map<String, Long> threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        if (nanos > 0) {
            cpu.put(info.getThreadName() + "#" + info.getThreadId(), nanos);
        }
      }
    }
    return cpu;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
