package io.webstore.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dynalite (a DynamoDB implementation on LevelDB) as a Node child process, run from
 * {@code dev/dynalite-server.js}. The wrapper picks its own port and prints it; it exits when its
 * stdin, a pipe held by this JVM, reaches EOF, so it dies with the JVM even on {@code kill -9}.
 */
final class DynaliteServer {

  private static final Logger log = LoggerFactory.getLogger(DynaliteServer.class);

  static final int MIN_NODE_MAJOR = 20;
  private static final Pattern PORT_LINE = Pattern.compile("DYNALITE_PORT (\\d+)");
  private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.\\d+\\.\\d+.*");
  private static final String ERROR_PREFIX = "DYNALITE_ERROR ";
  private static final long LISTEN_TIMEOUT_SECONDS = 30;
  private static final long NPM_TIMEOUT_MINUTES = 5;
  private static final long STOP_TIMEOUT_SECONDS = 3;

  private final Process process;
  private final int port;
  private volatile boolean stopping;

  private DynaliteServer(Process process, int port) {
    this.process = process;
    this.port = port;
    process.onExit().thenRun(() -> {
      if (!stopping) {
        log.error("devservices.dynamo.exited pid={} status={} port={}", process.pid(), process.exitValue(), port);
      }
    });
  }

  /**
   * Starts dynalite; blocks until it listens.
   *
   * @param devDir the project's {@code dev/} directory, holding package.json and dynalite-server.js
   * @param dataDir where LevelDB keeps the tables, or null to keep them in memory
   */
  static DynaliteServer start(Path devDir, Path dataDir) {
    Path dir = devDir.toAbsolutePath().normalize();
    Path script = dir.resolve("dynalite-server.js");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("devservices.dynamo " + script + " not found: run from the project root,"
          + " or pass the project root as DevServices.Options.projectDir");
    }
    checkNode();
    installIfMissing(dir);

    List<String> command = new ArrayList<>(List.of("node", script.toString()));
    if (dataDir != null) {
      command.add("--path");
      command.add(dataDir.toAbsolutePath().normalize().toString());
    }
    Process process = startProcess(new ProcessBuilder(command).directory(dir.toFile()), "node");
    // stdin stays open on purpose: the wrapper exits when this JVM, and so the pipe, goes away
    Deque<String> errors = new ArrayDeque<>();
    Thread stderr = drain(process.getErrorStream(), "devservices-dynalite-err", line -> {
      log.warn("devservices.dynamo.err {}", line);
      remember(errors, line);
    });
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    drain(process.getInputStream(), "devservices-dynalite-out", line -> {
      Matcher matcher = PORT_LINE.matcher(line);
      if (!listening.isDone() && matcher.matches()) {
        listening.complete(Integer.parseInt(matcher.group(1)));
      } else {
        log.info("devservices.dynamo.out {}", line);
      }
    });
    process.onExit().thenRun(() -> {
      joinQuietly(stderr);
      listening.completeExceptionally(new IllegalStateException("devservices.dynamo dynalite exited with status "
          + process.exitValue() + " before listening: " + describe(errors)));
    });
    try {
      int port = listening.get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info("devservices.dynamo.listening port={} pid={} data={}", port, process.pid(),
          dataDir == null ? "memory" : dataDir.toAbsolutePath().normalize());
      return new DynaliteServer(process, port);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("devservices.dynamo dynalite did not listen within " + LISTEN_TIMEOUT_SECONDS
          + " s: " + describe(errors));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("devservices.dynamo interrupted while starting dynalite", e);
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  long pid() {
    return process.pid();
  }

  /** Closes the wrapper's stdin so it shuts down cleanly (flushing LevelDB); kills it if it lingers. */
  void stop() {
    stopping = true;
    try {
      process.getOutputStream().close();
    } catch (IOException alreadyClosed) {
      // the process is gone already
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("devservices.dynamo.kill pid={} reason=still running {} s after stdin closed", process.pid(),
            STOP_TIMEOUT_SECONDS);
        process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void checkNode() {
    Process node = startProcess(new ProcessBuilder("node", "--version").redirectErrorStream(true), "node");
    String version = readAll(node.getInputStream()).trim();
    Matcher matcher = NODE_VERSION.matcher(version);
    if (!matcher.matches()) {
      throw new IllegalStateException("devservices.dynamo could not read the Node.js version from `node --version`"
          + " (got \"" + version + "\"); dynalite needs Node.js " + MIN_NODE_MAJOR + " or newer");
    }
    if (Integer.parseInt(matcher.group(1)) < MIN_NODE_MAJOR) {
      throw new IllegalStateException("devservices.dynamo Node.js " + version + " is too old: dynalite needs Node.js "
          + MIN_NODE_MAJOR + " or newer on PATH");
    }
  }

  /**
   * A bare {@code mvn test} on a fresh clone works too: install dev/'s locked packages (dynalite and cognito-local)
   * first.
   */
  static synchronized void installIfMissing(Path devDir) {
    if (Files.isRegularFile(devDir.resolve("node_modules/dynalite/package.json"))
        && Files.isRegularFile(devDir.resolve("node_modules/cognito-local/package.json"))) {
      return;
    }
    if (!Files.isRegularFile(devDir.resolve("package-lock.json"))) {
      throw new IllegalStateException("devservices.npm " + devDir.resolve("package-lock.json") + " not found");
    }
    log.info("devservices.npm installing dynalite and cognito-local... dir={}", devDir);
    long started = System.nanoTime();
    Process npm = startProcess(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
        .directory(devDir.toFile())
        .redirectErrorStream(true), "npm");
    Deque<String> output = new ArrayDeque<>();
    Thread reader = drain(npm.getInputStream(), "devservices-npm", line -> {
      log.info("devservices.npm.out {}", line);
      remember(output, line);
    });
    try {
      if (!npm.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        npm.destroyForcibly();
        throw new IllegalStateException("devservices.npm `npm ci` in " + devDir + " did not finish within "
            + NPM_TIMEOUT_MINUTES + " min");
      }
      joinQuietly(reader);
    } catch (InterruptedException e) {
      npm.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("devservices.npm interrupted while installing dynalite", e);
    }
    if (npm.exitValue() != 0) {
      throw new IllegalStateException("devservices.npm `npm ci` in " + devDir + " failed with status "
          + npm.exitValue() + ": " + describe(output));
    }
    log.info("devservices.npm installed in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static Process startProcess(ProcessBuilder builder, String program) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("devservices.dynamo could not run `" + program + "`: is Node.js "
          + MIN_NODE_MAJOR + " or newer installed and on PATH? (" + e.getMessage() + ")", e);
    }
  }

  private static Thread drain(InputStream stream, String name, Consumer<String> onLine) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          onLine.accept(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void remember(Deque<String> lines, String line) {
    if (line.isBlank()) {
      return;
    }
    synchronized (lines) {
      if (lines.size() == 20) {
        lines.removeFirst();
      }
      lines.addLast(line);
    }
  }

  /** The wrapper's own DYNALITE_ERROR line if there is one, else the last lines it wrote to stderr. */
  private static String describe(Deque<String> lines) {
    synchronized (lines) {
      return lines.stream()
          .filter(line -> line.startsWith(ERROR_PREFIX))
          .map(line -> line.substring(ERROR_PREFIX.length()))
          .findFirst()
          .orElse(lines.isEmpty() ? "(no output)" : String.join(" | ", lines));
    }
  }

  private static String readAll(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
