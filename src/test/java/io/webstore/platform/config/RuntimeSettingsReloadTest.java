package io.webstore.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The watched runtime file, on a store of its own that scans it every 200 ms. */
@WebstoreTest
class RuntimeSettingsReloadTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  static Path dir;
  static Path file;
  static WebStore store;
  static final BlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start(Stores stores) throws IOException {
    dir = Files.createTempDirectory("webstore-runtime-");
    file = dir.resolve("runtime.json");
    write(file, settings(50, 700, 900).encodePrettily());
    store = stores.start(runtimeOverrides(file));
    Engines.await(store.vertx().eventBus().<JsonObject>consumer(RuntimeSettingsVerticle.CHANGED,
        msg -> published.add(msg.body())).completion());
  }

  @AfterAll
  static void stop() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path path : files.toList()) {
        Files.deleteIfExists(path);
      }
    }
    Files.deleteIfExists(dir);
  }

  private static JsonObject runtimeOverrides(Path runtimeFile) {
    return new JsonObject().put("runtime", new JsonObject()
        .put("file", runtimeFile.toString()).put("scanPeriodMs", 200));
  }

  static JsonObject settings(int perClientPerSecond, int reviewScore, int rejectScore) {
    return new JsonObject()
        .put("rateLimits", new JsonObject().put("perClientPerSecond", perClientPerSecond))
        .put("fraud", new JsonObject().put("reviewScore", reviewScore).put("rejectScore", rejectScore))
        .put("flags", new JsonObject().put("cacheTtlMs", 1000).put("defaults", new JsonObject()));
  }

  /** Replaces the file in one step, as a config deployment should: the scanner never sees half a file. */
  static void write(Path target, String content) throws IOException {
    Path next = Files.createTempFile(target.getParent(), "next-", ".json");
    Files.writeString(next, content);
    Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int uniqueLimit() {
    return ThreadLocalRandom.current().nextInt(1_000, 100_000);
  }

  private static JsonObject current() {
    return Engines.await(store.vertx().eventBus().<JsonObject>request(RuntimeSettingsVerticle.CURRENT,
        new JsonObject())).body();
  }

  private static double reloads(String outcome) {
    Counter counter = store.services().meters().find("webstore.config.reloads").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Waits for the next published settings (each test waits for its own, so none is left for the next test). */
  private static JsonObject nextPublished() throws InterruptedException {
    JsonObject next = published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(next).as("a config.changed message within " + WAIT).isNotNull();
    return next;
  }

  /** Makes {@code limit} the settings in force, and waits until it is. */
  private static void establish(int limit) throws Exception {
    published.clear();
    write(file, settings(limit, 700, 900).encodePrettily());
    assertThat(nextPublished().getJsonObject("rateLimits").getInteger("perClientPerSecond")).isEqualTo(limit);
  }

  @Test
  void acceptedChangeIsPublishedAndServedAsCurrent() throws Exception {
    establish(uniqueLimit());
    int limit = uniqueLimit();
    double appliedBefore = reloads("applied");

    write(file, settings(limit, 650, 950).encodePrettily());

    JsonObject change = nextPublished();
    assertThat(change.getJsonObject("rateLimits").getInteger("perClientPerSecond")).isEqualTo(limit);
    assertThat(change.getJsonObject("fraud").getInteger("reviewScore")).isEqualTo(650);
    assertThat(change.getJsonObject("fraud").getInteger("rejectScore")).isEqualTo(950);
    assertThat(RuntimeSettings.fromJson(current())).isEqualTo(RuntimeSettings.fromJson(change));
    assertThat(reloads("applied")).isGreaterThan(appliedBefore);
  }

  @Test
  void invalidOrUnreadableFileIsRejectedAndTheLastGoodValuesStay() throws Exception {
    int good = uniqueLimit();
    establish(good);
    JsonObject inForce = current();

    double rejected = reloads("rejected");
    write(file, settings(uniqueLimit(), 950, 900).encodePrettily()); // review not below reject
    Deadline.await("the invalid file to be rejected", WAIT, () -> reloads("rejected") > rejected);
    assertThat(published).as("nothing published for an invalid file").isEmpty();
    assertThat(current()).isEqualTo(inForce);

    double rejectedAgain = reloads("rejected");
    write(file, "{\"rateLimits\": {\"perClientPerSecond\": 7"); // cut short: not JSON
    Deadline.await("the unreadable file to be rejected", WAIT, () -> reloads("rejected") > rejectedAgain);
    assertThat(published).as("nothing published for an unreadable file").isEmpty();
    assertThat(current()).isEqualTo(inForce);

    int fixed = uniqueLimit();
    write(file, settings(fixed, 700, 900).encodePrettily());
    assertThat(nextPublished().getJsonObject("rateLimits").getInteger("perClientPerSecond"))
        .as("the first message after the rejected files is the fixed one").isEqualTo(fixed);
    assertThat(current().getJsonObject("rateLimits").getInteger("perClientPerSecond")).isEqualTo(fixed);
  }

  @Test
  void badFileAtStartFailsStartNamingTheKey() throws IOException {
    Path bad = dir.resolve("bad-start.json");
    JsonObject content = settings(50, 700, 900);
    content.getJsonObject("fraud").put("rejectScore", "high");
    write(bad, content.encodePrettily());

    assertThatThrownBy(() -> Engines.shared().startStore(runtimeOverrides(bad)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("fraud.rejectScore must be an integer")
        .hasMessageContaining("got high")
        .hasMessageContaining(bad.toString());
  }

  @Test
  void missingFileAtStartFailsStartNamingTheKey() {
    Path missing = dir.resolve("no-such-runtime.json");

    assertThatThrownBy(() -> Engines.shared().startStore(runtimeOverrides(missing)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("runtime.file " + missing)
        .hasMessageContaining("WEBSTORE_RUNTIME_FILE");
  }
}
