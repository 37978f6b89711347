package io.webstore.flags;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Shared;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second store on the same tables, with a runtime file of its own (flag defaults, a 1 s cache TTL): defaults
 * apply to flags absent from the table and follow the file; a change stored by the shared store reaches this one
 * once its cache expires.
 */
@WebstoreTest
class FlagsSecondStoreHttpTest {

  private static final long CACHE_TTL_MS = 1000;

  static Path dir;
  static Path file;
  static WebStore store;
  static Api api;
  @Shared static Api shared;
  static String customer;
  static String admin;

  @BeforeAll
  static void start(Stores stores) throws IOException {
    dir = Files.createTempDirectory("webstore-flags-");
    file = dir.resolve("runtime.json");
    write(runtime(new JsonObject()));
    store = stores.start(new JsonObject().put("runtime", new JsonObject()
        .put("file", file.toString()).put("scanPeriodMs", 200)));
    api = stores.api(store);
    String customerId = "cust-" + UUID.randomUUID();
    customer = api.tokenFor(customerId, customerId + "@example.com", List.of());
    admin = shared.tokenFor("admin-" + customerId, "admin@example.com", List.of("admin"));
  }

  @AfterAll
  static void stop() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  private static JsonObject runtime(JsonObject defaults) {
    return new JsonObject()
        .put("rateLimits", new JsonObject().put("perClientPerSecond", 50))
        .put("fraud", new JsonObject().put("reviewScore", 700).put("rejectScore", 900))
        .put("flags", new JsonObject().put("cacheTtlMs", CACHE_TTL_MS).put("defaults", defaults));
  }

  private static void write(JsonObject content) throws IOException {
    Path next = Files.createTempFile(dir, "next-", ".json");
    Files.writeString(next, content.encodePrettily());
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonObject flags() {
    HttpResponse<Buffer> response = api.get("/api/v1/flags", customer);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonObject("flags");
  }

  private static HttpResponse<Buffer> putOnSharedStore(String name, boolean enabled) {
    return shared.call(HttpMethod.PUT, "/api/v1/admin/flags/" + name, admin,
        new JsonObject().put("enabled", enabled).put("percentage", 100));
  }

  /** Each test writes the defaults it needs and waits until they apply; tests here run one at a time. */
  private static void applyDefaults(JsonObject defaults, String awaitedFlag) throws IOException {
    write(runtime(defaults));
    Deadline.await("the runtime file's defaults to apply", Duration.ofSeconds(15),
        () -> flags().getBoolean(awaitedFlag, !defaults.getBoolean(awaitedFlag)) == defaults.getBoolean(awaitedFlag));
  }

  @Test
  void defaultAppliesWhileTheFlagIsAbsentAndFollowsTheRuntimeFile() throws IOException {
    String on = "d-" + UUID.randomUUID();
    String off = "d-" + UUID.randomUUID();

    applyDefaults(new JsonObject().put(on, true).put(off, false), on);

    assertThat(flags().getBoolean(off)).isFalse();
    String adminHere = api.tokenFor("admin-" + UUID.randomUUID(), "admin@example.com", List.of("admin"));
    JsonObject listing = api.get("/api/v1/admin/flags", adminHere).bodyAsJsonObject();
    assertThat(listing.getJsonObject("defaults").getBoolean(off)).isFalse();

    applyDefaults(new JsonObject().put(on, true).put(off, true), off);

    assertThat(flags().getBoolean(on)).isTrue();
  }

  @Test
  void storedRuleOverridesTheDefault() throws IOException {
    String name = "d-" + UUID.randomUUID();
    applyDefaults(new JsonObject().put(name, true), name);

    assertThat(putOnSharedStore(name, false).statusCode()).isEqualTo(200);

    Deadline.await("the stored rule to win over the default", Duration.ofMillis(CACHE_TTL_MS + 10_000),
        () -> !flags().getBoolean(name));
  }

  @Test
  void changeStoredByAnotherStoreArrivesOnceTheCacheExpires() {
    String name = "s-" + UUID.randomUUID();
    assertThat(flags().containsKey(name)).isFalse(); // this store now caches a table without it

    assertThat(putOnSharedStore(name, true).statusCode()).isEqualTo(200);

    Deadline.await("the other store's change to arrive", Duration.ofMillis(CACHE_TTL_MS + 10_000),
        () -> flags().containsKey(name));
    assertThat(flags().getBoolean(name)).isTrue();
  }
}
