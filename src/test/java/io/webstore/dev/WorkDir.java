package io.webstore.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scratch directory for one {@link DevServices}: Kafka's log dirs and the extracted redis-server
 * binary. Named {@code <jvm pid>-<nanos>} under {@code java.io.tmpdir/webstore-devservices}, so a
 * later start can remove what a killed JVM left behind.
 */
final class WorkDir {

  private static final Logger log = LoggerFactory.getLogger(WorkDir.class);
  private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "webstore-devservices");

  private WorkDir() {}

  static Path create() {
    try {
      Files.createDirectories(ROOT);
      removeLeftovers();
      return Files.createDirectory(ROOT.resolve(ProcessHandle.current().pid() + "-" + System.nanoTime()));
    } catch (IOException e) {
      throw new UncheckedIOException("devservices.workdir could not create a directory under " + ROOT, e);
    }
  }

  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      log.warn("devservices.workdir.delete.failed dir={} error={}", dir, e.toString());
    }
  }

  /** Directories whose JVM is gone: it was killed before it could clean up. */
  private static void removeLeftovers() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      dirs.filter(dir -> ownerPid(dir) > 0 && ProcessHandle.of(ownerPid(dir)).isEmpty())
          .forEach(dir -> {
            log.info("devservices.workdir.leftover removing={}", dir);
            delete(dir);
          });
    }
  }

  private static long ownerPid(Path dir) {
    String name = dir.getFileName().toString();
    int dash = name.indexOf('-');
    try {
      return dash > 0 ? Long.parseLong(name.substring(0, dash)) : -1;
    } catch (NumberFormatException notOurs) {
      return -1;
    }
  }
}
