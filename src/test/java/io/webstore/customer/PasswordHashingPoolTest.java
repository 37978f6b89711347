package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Password hashing has its own bounded pool: a burst beyond its threads and queue is answered 503 with Retry-After at
 * once instead of queueing for seconds on the shared worker pool.
 */
@WebstoreTest
class PasswordHashingPoolTest {

  static final int BURST = 16;
  static WebStore store;
  static Api api;

  @BeforeAll
  static void start(Stores stores) {
    store = stores.start(new JsonObject().put("customer", new JsonObject()
        .put("hashingThreads", 1).put("hashingQueue", 1)
        // a costly hash, so the burst certainly finds the one thread and the one queue place taken
        .put("argon2MemoryKib", 32768).put("argon2Iterations", 4)));
    api = stores.api(store);
  }

  @Test
  void aBurstBeyondThePoolIsShedWith503AndRetryAfterAtOnce() {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    List<Long> startedAt = new ArrayList<>();
    List<Long> answeredAt = new ArrayList<>(java.util.Collections.nCopies(BURST, 0L));
    for (int i = 0; i < BURST; i++) {
      int index = i;
      startedAt.add(System.nanoTime());
      sent.add(api.send(HttpMethod.POST, "/api/v1/auth/signup", null, new JsonObject()
              .put("email", "pool-" + UUID.randomUUID() + "@example.com").put("password", "Correct-horse-42"))
          .andThen(done -> answeredAt.set(index, System.nanoTime())));
    }
    Engines.await(Future.join(sent), Duration.ofSeconds(60));

    int created = 0;
    List<Duration> shedAfter = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      HttpResponse<Buffer> response = sent.get(i).result();
      assertThat(response.statusCode()).as(response.bodyAsString()).isIn(201, 503);
      if (response.statusCode() == 201) {
        created++;
        continue;
      }
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.getHeader("Retry-After")).isEqualTo("1");
      assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/unavailable");
      shedAfter.add(Duration.ofNanos(answeredAt.get(i) - startedAt.get(i)));
    }
    assertThat(created).as("the thread and the queue place are used").isGreaterThanOrEqualTo(2);
    assertThat(shedAfter).as("the burst beyond 1 thread + 1 queued is shed").isNotEmpty();
    System.out.printf("hashing pool: %d created, %d shed, slowest shed answer %d ms%n", created, shedAfter.size(),
        shedAfter.stream().mapToLong(Duration::toMillis).max().orElse(0));
    assertThat(shedAfter).allSatisfy(took -> assertThat(took).isLessThan(Duration.ofSeconds(2)));
  }
}
