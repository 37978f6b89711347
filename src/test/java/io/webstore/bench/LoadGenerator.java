package io.webstore.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The bench's HTTP load generator on the Vert.x HTTP client, in two modes over the same connections:
 *
 * <ul>
 *   <li>{@link #open}: constant arrival rate. Request {@code i} is due at {@code start + i / rate}, whether or not
 *       earlier ones were answered, and its latency is measured from that intended send time, so a server that stalls
 *       is charged for every request that waited behind the stall (no coordinated omission). Requests beyond the
 *       connections wait in the client's queue, and that wait counts as latency too. A run offered more than the
 *       server can answer measures the server's peak: its queue grows, and only answers within the window count.
 *   <li>{@link #closed}: {@code connections} loops that each send the next request when the previous answer arrived:
 *       the probe that finds a scenario's peak rate.
 * </ul>
 *
 * The work is split over {@code lanes} event loops, each with its own client and share of the connections and rate.
 * The generator's own CPU (this JVM's process CPU time over the run) is part of every outcome, per second and per
 * 1,000 answers, so a saturated generator shows.
 *
 * <p>Per request it does only what a request needs: no timer per request (a run ends with its drain deadline, after
 * which the client is closed and what is still open counts as unfinished; a connection idle for {@link
 * #IDLE_TIMEOUT_S} fails what it carries), and the answer's body is read and dropped, not gathered into a buffer.
 */
final class LoadGenerator {

  /** One request. {@link Requests#next} returns {@code null} when a finite pool of requests (customers) is used up. */
  record Shot(HttpMethod method, String uri, MultiMap headers, Buffer body) {}

  /** The i-th request of a run (indices are global across lanes, each used once). */
  @FunctionalInterface
  interface Requests {
    Shot next(long index);
  }

  /** What one run measured. Latencies in microseconds. */
  record Outcome(String mode, double targetRate, double seconds, long sent, long completedInWindow,
      long servedInWindow, long unfinished, Map<Integer, Long> statuses, Histogram latency, Histogram firstHalf,
      Histogram secondHalf, double generatorCpuCores, long generatorCpuNanos, boolean exhausted) {

    /** The least share of an open run's offered rate it must serve within its window to count as sustained. */
    static final double SUSTAINED_SHARE = 0.97;
    /** How much the second half's p90 may exceed the first half's, as a factor and in milliseconds, when sustained. */
    static final double LATENCY_GROWTH_FACTOR = 2.0;
    static final double LATENCY_GROWTH_SLACK_MS = 5.0;

    /**
     * Whether the server kept up with an open run: it served at least {@link #SUSTAINED_SHARE} of the offered rate
     * within the window, and the requests due in the window's second half waited no longer (p90, within {@link
     * #LATENCY_GROWTH_FACTOR} and {@link #LATENCY_GROWTH_SLACK_MS}) than those due in its first. A server past its
     * peak fails both: its queue grows, so it serves less than offered and each request waits longer than the one
     * before. A closed run is never "sustained": it offers only what it is answered.
     */
    boolean sustained() {
      return mode.equals("open") && !exhausted && rps() >= SUSTAINED_SHARE * targetRate
          && p90Ms(secondHalf) <= LATENCY_GROWTH_FACTOR * p90Ms(firstHalf) + LATENCY_GROWTH_SLACK_MS;
    }

    double firstHalfP90Ms() {
      return p90Ms(firstHalf);
    }

    double secondHalfP90Ms() {
      return p90Ms(secondHalf);
    }

    private static double p90Ms(Histogram histogram) {
      return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(90) / 1000.0;
    }

    /**
     * Requests served per second within the run's window: answers with a status below 500 (a 409 is the sold-out
     * scenario's answer; a 503 is load shed, and a failure without an answer is no answer).
     */
    double rps() {
      return servedInWindow / seconds;
    }

    /** Every answer per second within the window, whatever its status, failures without an answer included. */
    double answeredRps() {
      return completedInWindow / seconds;
    }

    /** This JVM's CPU time per 1,000 requests answered (or failed), in milliseconds. */
    double generatorCpuMsPerThousand() {
      long answers = statuses.values().stream().mapToLong(Long::longValue).sum();
      return answers == 0 ? 0 : generatorCpuNanos / 1e6 * 1000 / answers;
    }

    /** Answers with {@code status} per second (all answers of that status, including those after the window). */
    double rpsOf(int status) {
      return statuses.getOrDefault(status, 0L) / seconds;
    }

    double p50Ms() {
      return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50) / 1000.0;
    }

    double p99Ms() {
      return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1000.0;
    }

    double maxMs() {
      return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s rate=%.0f rps=%.0f p50=%.2fms p99=%.2fms max=%.1fms sent=%d "
              + "unfinished=%d statuses=%s p90 halves=%.2f/%.2fms%s generator_cpu=%.2f cores, %.1f ms per 1k%s",
          mode, targetRate, rps(), p50Ms(), p99Ms(), maxMs(), sent, unfinished, statuses, firstHalfP90Ms(),
          secondHalfP90Ms(), mode.equals("open") ? (sustained() ? " sustained" : " not sustained") : "",
          generatorCpuCores, generatorCpuMsPerThousand(), exhausted ? " (request pool used up)" : "");
    }
  }

  /** Status recorded for a request that failed without an HTTP answer (connection error, client timeout). */
  static final int NO_ANSWER = -1;

  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);
  private static final long TICK_MS = 1;
  /** A connection that carries nothing for this long is closed, failing the request on it. */
  static final int IDLE_TIMEOUT_S = 30;
  /** How long answers to requests sent within the window may still arrive before they count as unfinished. */
  private static final long DRAIN_MS = 10_000;

  private final List<Context> contexts;

  private LoadGenerator(List<Context> contexts) {
    this.contexts = contexts;
  }

  /** A generator on {@code lanes} event-loop contexts of their own (one per deployed instance). */
  static Future<LoadGenerator> create(Vertx vertx, int lanes) {
    List<Context> contexts = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(lanes)).map(id -> new LoadGenerator(List.copyOf(contexts)));
  }

  /** Constant arrival rate {@code rate} (per second) over {@code connections}, for {@code duration}. */
  Future<Outcome> open(int port, int connections, double rate, Duration duration, Requests requests) {
    return run("open", port, connections, rate, duration, requests);
  }

  /** {@code connections} closed loops for {@code duration}. */
  Future<Outcome> closed(int port, int connections, Duration duration, Requests requests) {
    return run("closed", port, connections, 0, duration, requests);
  }

  private Future<Outcome> run(String mode, int port, int connections, double rate, Duration duration,
      Requests requests) {
    AtomicLong index = new AtomicLong();
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20); // every lane starts on the same instant
    long end = start + duration.toNanos();
    List<Future<Lane>> lanesDone = new ArrayList<>();
    int lanes = contexts.size();
    for (int l = 0; l < lanes; l++) {
      int laneConnections = Math.max(1, connections / lanes + (l < connections % lanes ? 1 : 0));
      Lane lane = new Lane(contexts.get(l), port, laneConnections, rate / lanes, start, end, index, requests);
      lanesDone.add(mode.equals("open") ? lane.open() : lane.closed());
    }
    return Future.all(lanesDone).map(all -> {
      // a closed run whose request pool ran out ended early: its rate is over the time it ran
      long lastEnd = lanesDone.stream().mapToLong(done -> done.result().finishedNanos).max().orElse(end);
      double seconds = Math.min(duration.toNanos(), Math.max(1, lastEnd - start)) / 1e9;
      long cpuNanos = processCpuNanos() - cpuBefore;
      double cpuCores = cpuNanos / (double) (System.nanoTime() - start + 1);
      Histogram latency = new Histogram(HIGHEST_MICROS, 3);
      Histogram firstHalf = new Histogram(HIGHEST_MICROS, 3);
      Histogram secondHalf = new Histogram(HIGHEST_MICROS, 3);
      Map<Integer, Long> statuses = new TreeMap<>();
      long sent = 0;
      long inWindow = 0;
      long servedInWindow = 0;
      long unfinished = 0;
      boolean exhausted = false;
      for (Future<Lane> done : lanesDone) {
        Lane lane = done.result();
        latency.add(lane.latency);
        firstHalf.add(lane.firstHalf);
        secondHalf.add(lane.secondHalf);
        for (int status = 0; status < lane.statuses.length; status++) {
          if (lane.statuses[status] > 0) {
            statuses.merge(status == 0 ? NO_ANSWER : status, lane.statuses[status], Long::sum);
          }
        }
        sent += lane.sent;
        inWindow += lane.completedInWindow;
        servedInWindow += lane.servedInWindow;
        unfinished += lane.sent - lane.completed;
        exhausted |= lane.exhausted;
      }
      return new Outcome(mode, rate, seconds, sent, inWindow, servedInWindow, unfinished, statuses, latency,
          firstHalf, secondHalf, cpuCores, cpuNanos, exhausted);
    });
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** One event loop's share of a run; every field is touched only on its context. */
  private static final class Lane {
    private final Context context;
    private final int port;
    private final int connections;
    private final double rate;
    private final long start;
    private final long end;
    private final AtomicLong index;
    private final Requests requests;
    private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    /** The same latencies split by intended send time: before and after the middle of the window. */
    private final Histogram firstHalf = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram secondHalf = new Histogram(HIGHEST_MICROS, 3);
    private final long middle;
    /** Answers by status (index), failures without an answer at index 0: counted without boxing. */
    private final long[] statuses = new long[600];
    private final Promise<Lane> done = Promise.promise();
    private HttpClient client;
    private long sent;
    private long completed;
    private long completedInWindow;
    private long servedInWindow;
    private boolean exhausted;
    private boolean sending = true;
    private int loopsRunning;
    private long finishedNanos;

    Lane(Context context, int port, int connections, double rate, long start, long end, AtomicLong index,
        Requests requests) {
      this.context = context;
      this.port = port;
      this.connections = connections;
      this.rate = rate;
      this.start = start;
      this.end = end;
      this.middle = start + (end - start) / 2;
      this.index = index;
      this.requests = requests;
    }

    Future<Lane> open() {
      context.runOnContext(ignored -> {
        client = createClient();
        long timer = context.owner().setPeriodic(TICK_MS, id -> tick(Math.min(System.nanoTime(), end)));
        context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())), id -> {
          context.owner().cancelTimer(timer);
          tick(end); // sends all that falls due before the end (the timer may fire a little early)
          sending = false;
          finishWhenDrained();
        });
      });
      return done.future();
    }

    Future<Lane> closed() {
      context.runOnContext(ignored -> {
        client = createClient();
        loopsRunning = connections;
        context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(start - System.nanoTime())), id -> {
          for (int i = 0; i < connections; i++) {
            loop();
          }
        });
      });
      return done.future();
    }

    private HttpClient createClient() {
      return context.owner().createHttpClient(new HttpClientOptions().setKeepAlive(true)
              .setDefaultHost("127.0.0.1").setDefaultPort(port).setIdleTimeout(IDLE_TIMEOUT_S),
          new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    private void tick(long now) {
      long due = (long) ((now - start) / 1e9 * rate);
      while (sending && sent < due) {
        long intended = start + (long) (sent * 1e9 / rate);
        Shot shot = requests.next(index.getAndIncrement());
        if (shot == null) {
          exhausted = true;
          sending = false;
          return;
        }
        sent++;
        send(shot, intended, () -> { });
      }
    }

    private void loop() {
      long now = System.nanoTime();
      Shot shot = now < end ? requests.next(index.getAndIncrement()) : null;
      if (shot == null) {
        exhausted |= now < end;
        if (--loopsRunning == 0) {
          finish();
        }
        return;
      }
      sent++;
      send(shot, now, this::loop); // a closed loop sends on time by construction
    }

    private void send(Shot shot, long intended, Runnable next) {
      RequestOptions options = new RequestOptions().setMethod(shot.method()).setURI(shot.uri());
      if (shot.headers() != null) {
        options.setHeaders(shot.headers());
      }
      client.request(options)
          .compose(request -> shot.body() == null ? request.send() : request.send(shot.body()))
          .compose(response -> response.end().map(ended -> response.statusCode()))
          .onComplete(result -> {
            long now = System.nanoTime();
            int status = result.succeeded() ? result.result() : NO_ANSWER;
            completed++;
            if (now <= end) {
              completedInWindow++;
              if (status != NO_ANSWER && status < 500) {
                servedInWindow++;
              }
            }
            long micros = Math.min(HIGHEST_MICROS, Math.max(1, (now - intended) / 1000));
            latency.recordValue(micros);
            (intended < middle ? firstHalf : secondHalf).recordValue(micros);
            statuses[status == NO_ANSWER || status >= statuses.length ? 0 : status]++;
            next.run();
          });
    }

    private void finishWhenDrained() {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
      context.owner().setPeriodic(5, id -> {
        if (completed == sent || System.nanoTime() > deadline) {
          context.owner().cancelTimer(id);
          finish();
        }
      });
    }

    private void finish() {
      finishedNanos = System.nanoTime();
      client.close().onComplete(closed -> done.complete(this));
    }
  }
}
