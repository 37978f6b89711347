package io.webstore.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.dev.DevServices;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@WebstoreTest
class ReadinessHttpTest {

  @Shared static Api api;

  @Test
  void redisDownMakesReadiness503NamingItThenRecovers() {
    DevServices engines = Engines.shared().devServices();
    AtomicReference<HttpResponse<Buffer>> last = new AtomicReference<>();
    engines.stopRedis();
    try {
      Deadline.await("readiness 503 with redis down", Duration.ofSeconds(20), () -> {
        last.set(api.get("/health/ready", null));
        return last.get().statusCode() == 503;
      });
      assertThat(last.get().bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "DOWN"));
      JsonObject report = Deadline.until("management details naming redis down", Duration.ofSeconds(10), () -> {
        HttpResponse<Buffer> details = api.management("/health/ready");
        return details.statusCode() == 503 ? details.bodyAsJsonObject() : null;
      });
      assertThat(report.getString("status")).isEqualTo("DOWN");
      assertThat(check(report, "redis").getString("status")).isEqualTo("DOWN");
      assertThat(check(report, "redis").getString("error")).isNotBlank();
      assertThat(check(report, "dynamodb").getString("status")).isEqualTo("UP");
      assertThat(api.get("/health/live", null).statusCode()).isEqualTo(200);
    } finally {
      engines.startRedis();
    }
    Deadline.await("readiness 200 once redis is back", Duration.ofSeconds(30), () -> {
      last.set(api.get("/health/ready", null));
      return last.get().statusCode() == 200;
    });
    assertThat(last.get().bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(check(api.management("/health/ready").bodyAsJsonObject(), "redis").getString("status"))
        .isEqualTo("UP");
  }

  @Test
  void aFloodOfReadinessRequestsRunsTheChecksOnlyOncePerCachePeriod() {
    Counter evaluations = api.store().services().meters().get("webstore.health.evaluations").counter();
    api.get("/health/ready", null); // an evaluation exists
    double before = evaluations.count();
    long started = System.nanoTime();
    List<Future<HttpResponse<Buffer>>> flood = IntStream.range(0, 200)
        .mapToObj(i -> api.send(HttpMethod.GET, "/health/ready", null, null)).toList();
    Engines.await(Future.join(flood), Duration.ofSeconds(60));
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(flood).allSatisfy(answer -> assertThat(answer.result().statusCode()).isEqualTo(200));
    double runs = evaluations.count() - before;
    System.out.printf("readiness flood: 200 requests in %d ms ran the checks %.0f times%n", elapsedMs, runs);
    // one round per health.cacheTtlMs (1 s) at most, plus the one under way when the flood began
    assertThat(runs).isLessThanOrEqualTo(2 + elapsedMs / 1000.0);
  }

  @Test
  void queuesWePublishToAreDetailsThatNeverMakeTheStoreUnready() {
    int nothingListens = freePort();
    WebStore store = Engines.shared().startStore(new JsonObject()
        .put("aws", new JsonObject().put("sqsEndpoint", "http://127.0.0.1:" + nothingListens))
        .put("sqs", new JsonObject().put("createQueues", false))
        .put("kafka", new JsonObject().put("bootstrapServers", "127.0.0.1:" + nothingListens)
            .put("createTopics", false)));
    try (Api own = new Api(store)) {
      HttpResponse<Buffer> ready = own.get("/health/ready", null);
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
      HttpResponse<Buffer> details = own.management("/health/ready");
      assertThat(details.statusCode()).isEqualTo(200);
      JsonObject report = details.bodyAsJsonObject();
      for (String detail : List.of("sqs", "kafka")) {
        assertThat(check(report, detail).getString("status")).isEqualTo("DOWN");
        assertThat(check(report, detail).getBoolean("critical")).isFalse();
        assertThat(check(report, detail).getString("error")).isNotBlank();
      }
      for (String needed : List.of("dynamodb", "redis")) {
        assertThat(check(report, needed).getString("status")).isEqualTo("UP");
        assertThat(check(report, needed).getBoolean("critical")).isTrue();
        assertThat(check(report, needed).getLong("duration_ms")).isNotNull();
      }
    } finally {
      Engines.await(store.stop());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject check(JsonObject report, String id) {
    return report.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> id.equals(check.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + report.encode()));
  }
}
