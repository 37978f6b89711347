package io.webstore.platform.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.Features;
import io.webstore.WebStore;
import io.webstore.dev.DevServices;
import io.webstore.testing.Api;
import io.webstore.testing.BusContract;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Start-up waits for engines that are not there yet, up to the start-up deadline, and then names the one missing. */
class StartupDeadlineTest {

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger startupLog = (Logger) LoggerFactory.getLogger(StartupDeadline.class);

  @BeforeEach
  void captureLog() {
    log.list = Collections.synchronizedList(new ArrayList<>()); // start-up logs from event-loop threads
    log.start();
    startupLog.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    startupLog.detachAppender(log);
  }

  @Test
  void aStoreStartedBeforeRedisBecomesReadyOnceRedisAppears() {
    DevServices engines = Engines.shared().devServices();
    engines.stopRedis();
    Future<WebStore> starting;
    try {
      starting = start(new JsonObject());
      Deadline.await("start-up waiting for redis", Duration.ofSeconds(30), () -> waitedFor("redis") >= 2);
      assertThat(starting.isComplete()).as("start-up finished without redis").isFalse();
    } finally {
      engines.startRedis();
    }
    WebStore store = Engines.await(starting, Duration.ofSeconds(90));
    try (Api api = new Api(store)) {
      HttpResponse<Buffer> ready = Deadline.until("readiness 200", Duration.ofSeconds(20), () -> {
        HttpResponse<Buffer> answer = api.get("/health/ready", null);
        return answer.statusCode() == 200 ? answer : null;
      });
      assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("UP");
      assertThat(store.services().meters().get("webstore.boot.retries").tag("engine", "redis").counter().count())
          .isGreaterThanOrEqualTo(2);
      assertThat(List.copyOf(log.list).stream().map(ILoggingEvent::getFormattedMessage)
          .filter(line -> line.startsWith("webstore.boot.waiting engine=redis step=connect attempt=")))
          .first().asString().contains("error=");
    } finally {
      Engines.await(store.stop());
    }
  }

  @Test
  void anEngineStillMissingAtTheDeadlineFailsStartUpNamingIt() {
    int nothingListens = freePort();
    long started = System.nanoTime();
    Future<WebStore> starting = start(new JsonObject()
        .put("startup", new JsonObject().put("deadlineMs", 3000))
        .put("redis", new JsonObject().put("uri", "redis://127.0.0.1:" + nothingListens)));

    assertThatThrownBy(() -> Engines.await(starting, Duration.ofSeconds(60)))
        .hasMessageContaining("redis did not answer within the start-up deadline of 3000 ms")
        .hasMessageContaining("startup.deadlineMs");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("start-up with redis missing gave up after %d ms (deadline 3000 ms)%n", tookMs);
    assertThat(waitedFor("redis")).isGreaterThanOrEqualTo(2);
  }

  private static Future<WebStore> start(JsonObject extra) {
    return WebStore.start(Path.of("conf"), Map.of("WEBSTORE_PROFILE", "dev"),
        Engines.shared().overrides().mergeIn(extra, true), Features.all())
        .onSuccess(store -> BusContract.shared().watch(store.vertx()));
  }

  private long waitedFor(String engine) {
    List<ILoggingEvent> events;
    synchronized (log.list) {
      events = List.copyOf(log.list);
    }
    return events.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(line -> line.startsWith("webstore.boot.waiting engine=" + engine + " ")).count();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
