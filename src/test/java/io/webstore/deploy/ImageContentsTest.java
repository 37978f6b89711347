package io.webstore.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image {@code make image} built (target/webstore-image.tar, an OCI layout written by Jib), read layer by layer:
 * the production main as a non-root user with container-aware JVM flags and the aws profile, and none of the dev
 * engines or test code. Tagged {@code image}: {@code make image} runs it right after building the tarball, which
 * {@code make test} does not build (it needs the base's Debian packages and takes a minute).
 */
@Tag("image")
class ImageContentsTest {

  static final Path IMAGE = Path.of("target/webstore-image.tar");

  static JsonObject config;
  static Set<String> files;

  @BeforeAll
  static void readImage() throws IOException {
    assertThat(IMAGE).as("build it with make image").isRegularFile();
    Map<String, byte[]> blobs = new HashMap<>();
    try (InputStream in = Files.newInputStream(IMAGE)) {
      Tar.entries(in, (name, content) -> blobs.put(name, content.get()));
    }
    JsonObject index = new JsonObject(new String(blobs.get("index.json"), StandardCharsets.UTF_8));
    JsonObject manifest = json(blobs, index.getJsonArray("manifests").getJsonObject(0).getString("digest"));
    config = json(blobs, manifest.getJsonObject("config").getString("digest")).getJsonObject("config");
    files = new TreeSet<>();
    for (Object layer : manifest.getJsonArray("layers")) {
      byte[] gzipped = blobs.get(blob(((JsonObject) layer).getString("digest")));
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
        Tar.entries(in, (name, content) -> files.add("/" + name.replaceFirst("^\\./", "")));
      }
    }
  }

  @Test
  void runsTheProductionMainWithTheAwsProfile() {
    List<String> entrypoint = strings(config.getJsonArray("Entrypoint"));
    assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo(WebStore.class.getName());
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(strings(config.getJsonArray("Env"))).contains("WEBSTORE_PROFILE=aws");
    assertThat(config.getString("WorkingDir")).isEqualTo("/app");
    assertThat(files).contains("/app/classes/" + WebStore.class.getName().replace('.', '/') + ".class",
        "/app/conf/application.json", "/app/conf/aws.json", "/app/conf/runtime.json");
  }

  @Test
  void runsAsANumericNonRootUser() {
    String[] user = config.getString("User", "").split(":");
    assertThat(user[0]).as("User %s", config.getString("User")).matches("[0-9]+");
    assertThat(Integer.parseInt(user[0])).isPositive();
    if (user.length > 1) {
      assertThat(Integer.parseInt(user[1])).isPositive();
    }
  }

  @Test
  void sizesTheHeapFromTheContainerLimit() {
    List<String> flags = strings(config.getJsonArray("Entrypoint")).stream().filter(f -> f.startsWith("-X")).toList();
    String maxRam = flags.stream().filter(f -> f.startsWith("-XX:MaxRAMPercentage=")).findFirst().orElse(null);
    assertThat(maxRam).as("flags %s", flags).isNotNull();
    double percent = Double.parseDouble(maxRam.substring(maxRam.indexOf('=') + 1));
    assertThat(percent).isBetween(25.0, 80.0); // room for Netty's direct buffers, metaspace and threads
    assertThat(flags).contains("-XX:+ExitOnOutOfMemoryError");
    assertThat(flags).noneMatch(f -> f.startsWith("-Xmx") || f.startsWith("-Xms") || f.equals("-XX:-UseContainerSupport"));
  }

  @Test
  void holdsNoDevEngineNorTestCode() throws IOException {
    List<String> engines = List.of("dynalite", "node_modules", "kafka_2.13", "elasticmq", "embedded-redis", "pekko",
        "scala-library", "junit", "assertj", "archunit", "HdrHistogram", "helm-java");
    List<String> found = new ArrayList<>();
    for (String file : files) {
      engines.stream().filter(file::contains).forEach(engine -> found.add(file + " (" + engine + ")"));
    }
    // every compiled test class (the dev engines' launchers among them), wherever in the image it was put
    Set<String> testClasses = testClasses();
    assertThat(testClasses).as("compiled test classes to compare with").isNotEmpty();
    files.stream().filter(f -> f.endsWith(".class"))
        .filter(f -> testClasses.stream().anyMatch(c -> f.endsWith("/" + c)))
        .forEach(f -> found.add(f + " (test class)"));
    files.stream().filter(((Predicate<String>) f -> f.contains("test-classes")).or(f -> f.endsWith("/conf/dev.json")))
        .forEach(f -> found.add(f + " (dev only)"));
    assertThat(found).isEmpty();
  }

  @Test
  void shipsExactlyTheRuntimeDependencies() throws IOException {
    Set<String> libs = files.stream().filter(f -> f.startsWith("/app/libs/") && f.endsWith(".jar"))
        .map(f -> f.substring("/app/libs/".length())).collect(Collectors.toCollection(TreeSet::new));
    Path packaged = Path.of("target/lib"); // make package's runtime-scope copy, from the same pom
    try (Stream<Path> jars = Files.list(packaged)) {
      assertThat(libs).containsExactlyInAnyOrderElementsOf(
          jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList());
    }
  }

  private static Set<String> testClasses() throws IOException {
    Path root = Path.of("target/test-classes");
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".class"))
          .map(p -> root.relativize(p).toString().replace('\\', '/')).collect(Collectors.toSet());
    }
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }

  private static JsonObject json(Map<String, byte[]> blobs, String digest) {
    return new JsonObject(new String(blobs.get(blob(digest)), StandardCharsets.UTF_8));
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  /** Just enough of the tar format for Jib's output: ustar names with prefixes, PAX and GNU long names. */
  static final class Tar {
    interface Entry {
      void accept(String name, Content content) throws IOException;
    }

    interface Content {
      byte[] get() throws IOException;
    }

    static void entries(InputStream in, Entry each) throws IOException {
      String longName = null;
      byte[] header = new byte[512];
      while (readFully(in, header)) {
        if (header[0] == 0) {
          return; // end of archive
        }
        long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        byte[] body = readBody(in, size);
        String prefix = field(header, 345, 155);
        String name = prefix.isEmpty() ? field(header, 0, 100) : prefix + "/" + field(header, 0, 100);
        if (type == 'x') {
          longName = paxPath(body);
        } else if (type == 'L') {
          longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
        } else if (type != 'g') {
          String entryName = longName != null ? longName : name;
          longName = null;
          each.accept(entryName, () -> body);
        }
      }
    }

    private static String paxPath(byte[] body) {
      for (String record : new String(body, StandardCharsets.UTF_8).split("\n")) {
        int space = record.indexOf(' ');
        if (space > 0 && record.startsWith("path=", space + 1)) {
          return record.substring(space + 1 + "path=".length());
        }
      }
      return null;
    }

    private static byte[] readBody(InputStream in, long size) throws IOException {
      byte[] body = new byte[(int) size];
      if (!readFully(in, body) && size > 0) {
        throw new IOException("truncated tar entry");
      }
      long padding = (512 - size % 512) % 512;
      in.readNBytes((int) padding);
      return body;
    }

    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
      int read = in.readNBytes(buffer, 0, buffer.length);
      return read == buffer.length;
    }

    private static String field(byte[] header, int offset, int length) {
      int end = offset;
      while (end < offset + length && header[end] != 0) {
        end++;
      }
      return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
  }
}
