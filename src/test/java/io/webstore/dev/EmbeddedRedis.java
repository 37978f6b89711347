package io.webstore.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * Redis: the redis-server binary shipped in embedded-redis, as a child process on one fixed port,
 * so it can be stopped and started again at the same address.
 *
 * <p>redis-server does not notice when this JVM dies, so every run gets a reaper,
 * {@code sh -c 'cat >/dev/null; kill <pid>'}, whose stdin is a pipe from this JVM: when the JVM
 * goes, even on {@code kill -9}, the pipe closes and the reaper kills redis-server.
 */
final class EmbeddedRedis {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

  private final RedisServer server;
  private final int port;
  private final Path binaryDir;
  private Process reaper;
  private long pid = -1;

  private EmbeddedRedis(RedisServer server, int port, Path binaryDir) {
    this.server = server;
    this.port = port;
    this.binaryDir = binaryDir;
  }

  /** Starts on a free loopback port, the binary extracted under {@code dir}, a directory of its own. */
  static EmbeddedRedis start(Path dir) {
    int port = FreePorts.pick();
    try {
      Path binaryDir = Files.createDirectories(dir).toRealPath();
      RedisServer server = RedisServer.newRedisServer()
          .executableProvider(ExecutableProvider.newJarResourceProvider(binaryDir.toFile()))
          .port(port)
          .bind("127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .build();
      EmbeddedRedis redis = new EmbeddedRedis(server, port, binaryDir);
      redis.startServer();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException("devservices.redis could not start redis-server on port " + port, e);
    }
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  synchronized long pid() {
    return pid;
  }

  synchronized void startServer() {
    if (server.isActive()) {
      return;
    }
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("devservices.redis could not start redis-server on port " + port, e);
    }
    try {
      pid = findServerPid();
      reaper = startReaper(pid);
    } catch (RuntimeException e) {
      stopQuietly();
      throw e;
    }
    log.info("devservices.redis.listening port={} pid={}", port, pid);
  }

  synchronized void stopServer() {
    if (!server.isActive()) {
      return;
    }
    try {
      server.stop(); // SIGTERM, then waits for the process to end
    } catch (IOException e) {
      throw new UncheckedIOException("devservices.redis could not stop redis-server on port " + port, e);
    } finally {
      disarmReaper();
    }
    log.info("devservices.redis.stopped port={} pid={}", port, pid);
    pid = -1;
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (IOException | RuntimeException e) {
      log.warn("devservices.redis.stop.failed port={} error={}", port, e.toString());
    }
  }

  /**
   * embedded-redis keeps its Process to itself, and the JDK does not show a child's arguments on
   * Linux: find the child running the binary extracted into this instance's own directory.
   */
  private long findServerPid() {
    List<ProcessHandle> matches = ProcessHandle.current().children()
        .filter(child -> child.info().command().map(command -> Path.of(command).startsWith(binaryDir)).orElse(false))
        .toList();
    if (matches.size() != 1) {
      throw new IllegalStateException("devservices.redis expected one redis-server child running from " + binaryDir
          + ", found " + matches.size());
    }
    return matches.get(0).pid();
  }

  private static Process startReaper(long pid) {
    try {
      return new ProcessBuilder("sh", "-c", "cat >/dev/null; kill \"$1\" 2>/dev/null", "devservices-redis-reaper",
          String.valueOf(pid))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("devservices.redis could not start the reaper for redis-server pid " + pid, e);
    }
  }

  /** SIGTERM ends the reaper's shell before it reaches {@code kill}; closing the pipe then ends its cat. */
  private void disarmReaper() {
    if (reaper != null) {
      reaper.destroy();
      reaper = null;
    }
  }
}
