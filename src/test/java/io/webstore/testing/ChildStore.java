package io.webstore.testing;

import io.webstore.dev.DevServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real {@code io.webstore.WebStore} main (or a test-side main that starts it) in a separate JVM, configured only through {@code WEBSTORE_*}
 * environment variables pointing at the shared engines; its output lines are collected for assertions.
 */
public final class ChildStore implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final int port;

  private ChildStore(Process process, int port) {
    this.process = process;
    this.port = port;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "child-store-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static ChildStore start(Map<String, String> extraEnv) {
    return start(extraEnv, "io.webstore.WebStore");
  }

  /** Like {@link #start(Map)}, with the JVM running {@code mainClass} (a test-side main such as a crashing store). */
  public static ChildStore start(Map<String, String> extraEnv, String mainClass) {
    DevServices.Endpoints endpoints = Engines.shared().devServices().endpoints();
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("WEBSTORE_PROFILE", "dev");
    env.put("WEBSTORE_HTTP_PORT", String.valueOf(port));
    env.put("WEBSTORE_HTTP_INSTANCES", "1");
    env.put("WEBSTORE_MANAGEMENT_PORT", "0");
    env.put("WEBSTORE_AWS_DYNAMODB_ENDPOINT", endpoints.dynamo().toString());
    env.put("WEBSTORE_AWS_SQS_ENDPOINT", endpoints.sqs().toString());
    env.put("WEBSTORE_REDIS_URI", endpoints.redis());
    env.put("WEBSTORE_KAFKA_BOOTSTRAP_SERVERS", endpoints.kafkaBootstrap());
    env.put("WEBSTORE_AWS_EVENTBRIDGE_ENDPOINT", endpoints.eventBridge().toString());
    env.put("WEBSTORE_EVENTBRIDGE_INBOUND_ENABLED", "false"); // the shared store is the inbound queue's one consumer
    env.put("WEBSTORE_ADMIN_PASSWORD", Engines.ADMIN_PASSWORD);
    env.put("WEBSTORE_DEMO_ENABLED", "false");
    env.putAll(extraEnv);
    ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
        mainClass).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("WEBSTORE_"));
    builder.environment().putAll(env);
    try {
      return new ChildStore(builder.start(), port);
    } catch (IOException e) {
      throw new IllegalStateException("could not start a child JVM", e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  public List<String> lines() {
    return lines;
  }

  /** Waits until an output line contains {@code text}; fails early if the process ends without printing it. */
  public String awaitLine(String text, Duration timeout) {
    try {
      Deadline.await("a line containing '" + text + "'", timeout, () -> contains(text) || !process.isAlive());
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "; the child's last lines:\n" + String.join("\n", tail()));
    }
    if (!contains(text)) { // the process ended: its last output says why
      process.onExit().join();
      if (!contains(text)) {
        throw new AssertionError("the child ended without printing '" + text + "':\n" + String.join("\n", tail()));
      }
    }
    return lines.stream().filter(line -> line.contains(text)).findFirst().orElseThrow();
  }

  private boolean contains(String text) {
    return lines.stream().anyMatch(line -> line.contains(text));
  }

  private List<String> tail() {
    int size = lines.size();
    return lines.subList(Math.max(0, size - 30), size);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
