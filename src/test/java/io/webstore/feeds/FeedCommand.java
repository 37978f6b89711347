package io.webstore.feeds;

import ch.qos.logback.classic.Level;
import io.webstore.dev.DevEnginesFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * {@code make feed TOPIC=<topic> FILE=<file.jsonl> [BOOTSTRAP=host:port]}: produces a JSONL file to one of the store's
 * three feed topics on {@code make run}'s broker (found through {@link DevEnginesFile}) or the one named. Exit codes:
 * 0 the whole file was processed (rejected lines are counted, not fatal); 2 it could not start (bad arguments, no
 * file, unknown topic, no broker known); 3 no broker answered; 4 the broker stopped acknowledging mid-run (sending the
 * whole file again is safe: the store applies records by sequence).
 *
 * <p>Arguments: {@code --topic T --file F [--bootstrap host:port] [--client-properties kafka.properties]
 * [--connect-timeout-s 10] [--engines-file P]}; under {@code exec:java} the same come as system properties
 * {@code feed.topic}, {@code feed.file}, {@code feed.bootstrap}, {@code feed.clientProperties},
 * {@code feed.connectTimeoutS}.
 */
public final class FeedCommand {

  /** The feed topics and the field of their records that is the entity id (the record's key). */
  static final Map<String, String> TOPIC_KEYS = Map.of(
      "pim.products", "sku",
      "supply.inventory", "sku", // by SKU, not SKU and warehouse: one SKU's records stay in order in one partition
      "supply.order-status", "order_id");

  static final int OK = 0;
  static final int CANNOT_START = 2;
  static final int NO_BROKER = 3;
  static final int NOT_DELIVERED = 4;

  private static final int LISTED_REJECTIONS = 20;

  private FeedCommand() {}

  public static void main(String[] args) {
    // the clients log every refused connection at WARN while they wait; the command says it once, plainly
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
    List<String> all = new ArrayList<>(List.of(args));
    property("feed.topic", "--topic", all);
    property("feed.file", "--file", all);
    property("feed.bootstrap", "--bootstrap", all);
    property("feed.connectTimeoutS", "--connect-timeout-s", all);
    property("feed.clientProperties", "--client-properties", all);
    int status = run(all.toArray(String[]::new), System.out, System.err, stderrIsTerminal(), TOPIC_KEYS);
    System.exit(status); // also under exec:java, so make sees the status
  }

  /**
   * Runs the command; returns its exit status. {@code out} gets the summary, {@code err} progress and problems.
   * {@code topics} are the topics it accepts with their key fields: {@link #TOPIC_KEYS}, or a test's own topics.
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal, Map<String, String> topics) {
    String topic = null;
    String file = null;
    String bootstrap = null;
    Path enginesFile = DevEnginesFile.DEFAULT;
    Duration connectTimeout = Duration.ofSeconds(10);
    Path clientPropertiesFile = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        err.println("feed: " + name + " needs a value");
        return usage(err);
      }
      String value = args[++i];
      switch (name) {
        case "--topic" -> topic = value;
        case "--file" -> file = value;
        case "--bootstrap" -> bootstrap = value;
        case "--engines-file" -> enginesFile = Path.of(value);
        case "--client-properties" -> clientPropertiesFile = Path.of(value);
        case "--connect-timeout-s" -> {
          try {
            connectTimeout = Duration.ofSeconds(Long.parseLong(value));
          } catch (NumberFormatException e) {
            err.println("feed: --connect-timeout-s must be a whole number of seconds (got " + value + ")");
            return CANNOT_START;
          }
        }
        default -> {
          err.println("feed: unknown argument " + name);
          return usage(err);
        }
      }
    }
    if (topic == null || topic.isBlank() || file == null || file.isBlank()) {
      return usage(err);
    }
    String keyField = topics.get(topic);
    if (keyField == null) {
      err.println("feed: unknown topic " + topic + "; the store reads " + String.join(", ",
          topics.keySet().stream().sorted().toList()));
      return CANNOT_START;
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      err.println("feed: no readable file " + path.toAbsolutePath());
      return CANNOT_START;
    }
    Map<String, String> clientProperties = Map.of();
    if (clientPropertiesFile != null) {
      try (Reader reader = Files.newBufferedReader(clientPropertiesFile, StandardCharsets.UTF_8)) {
        Properties loaded = new Properties();
        loaded.load(reader);
        Map<String, String> read = new HashMap<>();
        loaded.stringPropertyNames().forEach(key -> read.put(key, loaded.getProperty(key)));
        clientProperties = read;
      } catch (IOException | IllegalArgumentException e) {
        err.println("feed: could not read the Kafka client properties " + clientPropertiesFile.toAbsolutePath()
            + ": " + e.getMessage());
        return CANNOT_START;
      }
    }
    if (bootstrap == null || bootstrap.isBlank()) {
      Optional<String> found = discovered(enginesFile, err);
      if (found.isEmpty()) {
        return CANNOT_START;
      }
      bootstrap = found.get();
    }

    err.println("feed: " + path + " -> " + topic + " on " + bootstrap + " (key: " + keyField + ")");
    Feeder.Summary summary;
    try {
      summary = Feeder.feed(new Feeder.Options(bootstrap, topic, keyField, path, connectTimeout,
          terminal ? Duration.ofMillis(200) : Duration.ofSeconds(5), terminal, LISTED_REJECTIONS, clientProperties),
          err);
    } catch (Feeder.BrokerUnreachable e) {
      err.println("feed: " + e.getMessage() + ". Start the store with make run (in another terminal), or pass"
          + " BOOTSTRAP=host:port for another broker.");
      return NO_BROKER;
    } catch (IOException e) {
      err.println("feed: could not read " + path + ": " + e.getMessage());
      return CANNOT_START;
    }
    print(summary, out);
    if (!summary.complete()) {
      err.println("feed: the broker stopped acknowledging (" + summary.deliveryError() + "); "
          + summary.undelivered() + " records were not confirmed. Sending the whole file again is safe: the store"
          + " applies each record by its sequence.");
      return NOT_DELIVERED;
    }
    return OK;
  }

  static void print(Feeder.Summary summary, PrintStream out) {
    out.printf(Locale.ROOT, "feed: %,d lines: %,d sent, %,d rejected%s in %.1f s (%,.0f records/s)%n",
        summary.lines(), summary.sent(), summary.rejected(),
        summary.blank() > 0 ? String.format(Locale.ROOT, ", %,d blank skipped", summary.blank()) : "",
        summary.elapsed().toNanos() / 1e9, summary.rate());
    for (Feeder.Rejection rejection : summary.firstRejections()) {
      out.println("  rejected line " + rejection.line() + ": " + rejection.reason());
    }
    long unlisted = summary.rejected() - summary.firstRejections().size();
    if (unlisted > 0) {
      out.printf(Locale.ROOT, "  ... and %,d more rejected lines%n", unlisted);
    }
  }

  private static Optional<String> discovered(Path enginesFile, PrintStream err) {
    Optional<DevEnginesFile.Running> running;
    try {
      running = DevEnginesFile.read(enginesFile);
    } catch (RuntimeException e) {
      err.println("feed: " + e.getMessage() + "; pass BOOTSTRAP=host:port");
      return Optional.empty();
    }
    if (running.isEmpty()) {
      err.println("feed: no store is running here (" + enginesFile + " is written by make run while it runs)."
          + " Start it with make run in another terminal, or pass BOOTSTRAP=host:port.");
      return Optional.empty();
    }
    if (!running.get().running()) {
      err.println("feed: " + enginesFile + " was left by a make run that is gone (pid " + running.get().pid()
          + "). Start it again with make run, or pass BOOTSTRAP=host:port.");
      return Optional.empty();
    }
    return Optional.of(running.get().kafkaBootstrap());
  }

  private static int usage(PrintStream err) {
    err.println("usage: make feed TOPIC=<" + String.join("|", TOPIC_KEYS.keySet().stream().sorted().toList())
        + "> FILE=<file.jsonl> [BOOTSTRAP=host:port]");
    return CANNOT_START;
  }

  private static void property(String property, String flag, List<String> args) {
    String value = System.getProperty(property);
    if (value != null && !value.isBlank()) {
      args.add(flag);
      args.add(value);
    }
  }

  /** Whether stderr is a terminal (Linux: fd 2 links to a tty), so the progress line can be redrawn in place. */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
