package io.webstore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Checks the jar of {@code make package} before the bench starts the store from it: the production main, only
 * production classes inside, and no test or dev-engine library on its {@code Class-Path} (all of which it names in
 * {@code lib/}, present beside it).
 */
final class PackagedJar {

  static final String MAIN = "io.webstore.WebStore";
  private static final List<String> TEST_PACKAGES = List.of("io/webstore/dev/", "io/webstore/testing/",
      "io/webstore/bench/");
  private static final List<String> TEST_LIBRARIES = List.of("kafka_2.13", "elasticmq", "embedded-redis", "junit",
      "HdrHistogram", "archunit", "assertj", "scala-library", "vertx-junit5");

  private PackagedJar() {}

  static void check(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `make package` first");
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Attributes manifest = file.getManifest().getMainAttributes();
      if (!MAIN.equals(manifest.getValue(Attributes.Name.MAIN_CLASS))) {
        throw new IllegalStateException(jar + " has Main-Class " + manifest.getValue(Attributes.Name.MAIN_CLASS));
      }
      file.stream().map(entry -> entry.getName())
          .filter(name -> TEST_PACKAGES.stream().anyMatch(name::startsWith) || name.endsWith("Test.class"))
          .findFirst()
          .ifPresent(name -> {
            throw new IllegalStateException(jar + " holds a test class: " + name);
          });
      String classPath = manifest.getValue(Attributes.Name.CLASS_PATH);
      for (String entry : classPath == null ? new String[0] : classPath.trim().split("\\s+")) {
        if (TEST_LIBRARIES.stream().anyMatch(entry::contains)) {
          throw new IllegalStateException(jar + " names a test library on its Class-Path: " + entry);
        }
        if (!Files.isRegularFile(jar.resolveSibling(entry))) {
          throw new IllegalStateException(jar + " names " + entry + ", which is not beside it");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }
}
