package io.webstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bench's load generator against a server that answers every request 50 ms late over one connection, so it serves
 * at most 20 requests a second. Sent open-model at 100 a second for half a second, the 50 requests queue, and their
 * latencies, measured from each one's intended send time, grow to seconds (bounds that a slower machine only
 * raises); a closed loop sends one request per connection at a time.
 */
class LoadGeneratorTest {

  private static final long ANSWER_DELAY_MS = 50;
  private static Vertx vertx;
  private static HttpServer slow;
  private static HttpServer shedding;
  private static LoadGenerator generator;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    slow = Engines.await(vertx.createHttpServer()
        .requestHandler(request -> vertx.setTimer(ANSWER_DELAY_MS, id -> request.response().end("ok")))
        .listen(0, "127.0.0.1"));
    shedding = Engines.await(vertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(503).putHeader("Retry-After", "1").end())
        .listen(0, "127.0.0.1"));
    generator = Engines.await(LoadGenerator.create(vertx, 1));
  }

  @AfterAll
  static void stop() {
    Engines.await(vertx.close());
  }

  @Test
  void openModelChargesTheQueueingToTheIntendedSendTime() {
    LoadGenerator.Outcome outcome = Engines.await(generator.open(slow.actualPort(), 1, 100,
        Duration.ofMillis(500), index -> new LoadGenerator.Shot(HttpMethod.GET, "/", null, null)));

    assertThat(outcome.sent()).isEqualTo(50);
    assertThat(outcome.statuses()).containsExactly(java.util.Map.entry(200, 50L));
    assertThat(outcome.unfinished()).isZero();
    // one connection, 50 ms each: about 10 answers fit in the half-second window, the rest come after it
    assertThat(outcome.rps()).isLessThan(30);
    // the last request was due at ~0.49 s and answered at ~2.5 s
    assertThat(outcome.p99Ms()).isGreaterThan(1_500);
    assertThat(outcome.p50Ms()).isGreaterThan(500);
    // served a fraction of what it was offered, and the later requests waited longer: not a rate it sustains
    assertThat(outcome.sustained()).isFalse();
    assertThat(outcome.secondHalfP90Ms()).isGreaterThan(outcome.firstHalfP90Ms());
  }

  @Test
  void anOpenRunIsSustainedWhenItServesWhatItIsOfferedWithoutItsLatencyGrowing() {
    assertThat(open(100, 98, 10, 12).sustained()).isTrue();
    assertThat(open(100, 96, 10, 12).sustained()).as("served less than 97% of the offered rate").isFalse();
    assertThat(open(100, 100, 10, 26).sustained()).as("the second half waited more than twice as long").isFalse();
    assertThat(open(100, 100, 1, 6).sustained()).as("within the few milliseconds of slack").isTrue();
    LoadGenerator.Outcome closed = new LoadGenerator.Outcome("closed", 0, 1, 100, 100, 100, 0, Map.of(200, 100L),
        histogram(10), histogram(10), histogram(10), 0, 0, false);
    assertThat(closed.sustained()).as("a closed loop offers only what it is answered").isFalse();
  }

  /** An open run of one second offered {@code offered}/s that served {@code served}, with each half's latency. */
  private static LoadGenerator.Outcome open(double offered, long served, long firstHalfMs, long secondHalfMs) {
    return new LoadGenerator.Outcome("open", offered, 1, (long) offered, served, served, 0, Map.of(200, served),
        histogram(firstHalfMs), histogram(firstHalfMs), histogram(secondHalfMs), 0, 0, false);
  }

  private static Histogram histogram(long ms) {
    Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    histogram.recordValueWithCount(ms * 1000, 100);
    return histogram;
  }

  @Test
  void shedAnswersAreAnsweredButNotServed() {
    LoadGenerator.Outcome outcome = Engines.await(generator.open(shedding.actualPort(), 2, 100,
        Duration.ofMillis(500), index -> new LoadGenerator.Shot(HttpMethod.GET, "/", null, null)));

    assertThat(outcome.statuses()).containsExactly(java.util.Map.entry(503, 50L));
    assertThat(outcome.answeredRps()).isGreaterThan(0);
    assertThat(outcome.rps()).isZero(); // a scenario's rate never counts load the server shed
    assertThat(outcome.generatorCpuMsPerThousand()).isGreaterThan(0);
  }

  @Test
  void closedLoopWaitsForEachAnswer() {
    LoadGenerator.Outcome outcome = Engines.await(generator.closed(slow.actualPort(), 1, Duration.ofMillis(500),
        index -> new LoadGenerator.Shot(HttpMethod.GET, "/", null, null)));

    // one request in flight per connection: at most one per 50 ms, and one more sent just before the end
    assertThat(outcome.sent()).isBetween(1L, 11L);
    assertThat(outcome.latency().getMinValue()).isGreaterThanOrEqualTo(ANSWER_DELAY_MS * 1000);
  }

  @Test
  void aClosedLoopStopsWhenItsRequestsRunOut() {
    LoadGenerator.Outcome outcome = Engines.await(generator.closed(slow.actualPort(), 2, Duration.ofSeconds(30),
        index -> index < 4 ? new LoadGenerator.Shot(HttpMethod.GET, "/", null, null) : null));

    assertThat(outcome.sent()).isEqualTo(4);
    assertThat(outcome.exhausted()).isTrue();
    assertThat(outcome.seconds()).isLessThan(5); // its rate is over the time it ran, not the 30 s asked for
  }
}
