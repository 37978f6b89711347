package io.webstore.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.webstore.testing.Engines;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make bench}: one run, on this machine, of the store from its packaged jar beside its stack's ceiling and the
 * DynamoDB engine's raw write rate. See the README, "Measuring". Each JVM is a process of its own: the engines
 * ({@link BenchEngines}), the ceiling ({@link CeilingServer}), the store ({@code java -Xmx… -jar target/webstore.jar},
 * production main, configured by {@code WEBSTORE_*} variables) and this one, the load generator.
 *
 * <p>For each scenario: a closed-loop warm-up, a closed-loop probe with {@code connections} connections, {@code runs}
 * open-model runs that search for the highest offered rate the server sustains (see {@link #openRuns}; the best
 * sustained run is reported) and one at 70% of that rate.
 * Prints one {@code RESULT} line per scenario and writes {@code target/bench/results-<time>.json} and {@code
 * latest.json}. Settings are system properties ({@code bench.*}, see {@link Settings}).
 */
public final class BenchMain {

  /** The knobs, from system properties (the Makefile passes its variables). */
  record Settings(Duration warmup, Duration probe, Duration run, int runs, int connections, int lanes,
      String storeHeap, String storeJavaOpts, Path jar, Path out, Path runtimeFile, int maxCheckoutCustomers,
      String serverCpus, Set<String> only) {
    /** Every scenario, in the order a run measures them (the ceiling is always measured, first and last). */
    static final List<String> SCENARIOS = List.of("product_read", "sold_out", "cart_read", "raw_write", "add_to_cart",
        "checkout");

    static Settings fromSystemProperties() {
      return new Settings(
          Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 5)),
          Duration.ofSeconds(Long.getLong("bench.probeSeconds", 5)),
          Duration.ofSeconds(Long.getLong("bench.seconds", 10)),
          Integer.getInteger("bench.runs", 3),
          Integer.getInteger("bench.connections", 64),
          Integer.getInteger("bench.lanes", 2),
          System.getProperty("bench.storeHeap", "384m"),
          System.getProperty("bench.storeJavaOpts", ""),
          Path.of(System.getProperty("bench.jar", "target/webstore.jar")),
          Path.of(System.getProperty("bench.out", "target/bench")),
          Path.of(System.getProperty("bench.runtimeFile", "src/test/resources/runtime-test.json")),
          Integer.getInteger("bench.maxCheckoutCustomers", 12_000),
          System.getProperty("bench.serverCpus", ""),
          only(System.getProperty("bench.only", "")));
    }

    /** The scenarios {@code BENCH_ONLY} names (empty: all); those that are measured against the raw write rate bring it. */
    private static Set<String> only(String names) {
      Set<String> chosen = new LinkedHashSet<>();
      for (String name : names.split(",")) {
        if (!name.isBlank()) {
          if (!SCENARIOS.contains(name.strip())) {
            throw new IllegalArgumentException("BENCH_ONLY: unknown scenario " + name.strip() + "; known: " + SCENARIOS);
          }
          chosen.add(name.strip());
        }
      }
      if (chosen.contains("add_to_cart") || chosen.contains("checkout")) {
        chosen.add("raw_write");
      }
      return chosen;
    }

    boolean runs(String scenario) {
      return only.isEmpty() || only.contains(scenario);
    }

    JsonObject toJson() {
      return new JsonObject().put("warmup_s", warmup.toSeconds()).put("probe_s", probe.toSeconds())
          .put("run_s", run.toSeconds()).put("runs", runs).put("connections", connections).put("lanes", lanes)
          .put("store_heap", storeHeap).put("store_java_opts", storeJavaOpts).put("jar", jar.toString())
          .put("runtime_file", runtimeFile.toString()).put("server_cpus", serverCpus.isBlank() ? "all" : serverCpus)
          .put("generator_cpus", System.getProperty("bench.generatorCpus", "all"))
          .put("only", only.isEmpty() ? "all" : String.join(",", only));
    }
  }

  private static final String ADMIN_EMAIL = "admin@webstore.local";
  private static final String ADMIN_PASSWORD = "Bench-admin-password-1";
  private static final String CUSTOMER_PASSWORD = "Bench-password-1";
  private static final String HOT_SKU = "SKU-AUT-001";
  private static final String SOLD_OUT_SKU = "SKU-AUT-002";
  private static final String CHECKOUT_SKU = "SKU-AUT-044";
  private static final int GUEST_CARTS = 500;
  private static final int CUSTOMER_CARTS = 500;
  private static final int READ_CARTS = 200;
  private static final int PREP_IN_FLIGHT = 16;
  /** The factor by which the search raises (after a sustained run) or lowers (after one that was not) the rate. */
  private static final double STEP = 1.25;
  /** Background writes are done when no interval of {@link #QUIET_INTERVAL} sees more than this many, ... */
  private static final long QUIET_WRITES = 2;
  /** ... this many intervals in a row ... */
  private static final int QUIET_CHECKS = 3;
  private static final Duration QUIET_INTERVAL = Duration.ofSeconds(1);
  /** ... or this long has passed (the results then say {@code "quiet": false}). */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern READY = Pattern.compile("since_jvm_start_ms=(\\d+)");
  private static final Pattern MANAGEMENT_PORT = Pattern.compile("management_port=(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  private final Settings settings;
  private final Path runDir;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(PREP_IN_FLIGHT));
  private final List<ChildJvm> children = new ArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "bench-rss-sampler");
    thread.setDaemon(true);
    return thread;
  });
  private final DoubleAccumulator storeRssMax = new DoubleAccumulator(Math::max, 0);
  private final JsonArray scenarios = new JsonArray();
  private final List<String> resultLines = new ArrayList<>();
  private LoadGenerator generator;
  private ChildJvm store;
  private int storePort;
  private int managementPort;
  private double maxGeneratorCpu;
  /** The highest ratio of the generator's CPU per answer to the store's, over the store's runs. */
  private double maxGeneratorPerStoreCpu;

  private BenchMain(Settings settings, Path runDir) {
    this.settings = settings;
    this.runDir = runDir;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    Instant started = Instant.now();
    Path runDir = settings.out().resolve("run-" + STAMP.format(started));
    Files.createDirectories(runDir);
    BenchMain bench = new BenchMain(settings, runDir);
    int status = 0;
    try {
      bench.run(started);
    } catch (RuntimeException e) {
      System.out.println("bench: failed: " + e.getMessage());
      e.printStackTrace(System.out);
      status = 1;
    } finally {
      bench.close();
    }
    System.exit(status);
  }

  private void run(Instant started) throws IOException {
    PackagedJar.check(settings.jar());
    log("packaged jar " + settings.jar() + ": production classes only, main " + PackagedJar.MAIN);

    ChildJvm engines = child("engines", List.of(ChildJvm.java(), "-cp", System.getProperty("java.class.path"),
        BenchEngines.class.getName()), Map.of());
    Map<String, String> endpoints = fields(engines.awaitLine(BenchEngines.READY_PREFIX, START_TIMEOUT)
        .substring(BenchEngines.READY_PREFIX.length()));
    log("engines ready: " + endpoints);

    // JVM start to ready with the engines up, as `make startup-metrics` measures it (no demo data), then stopped
    ChildJvm probeStore = startStore(endpoints, false, "store-startup");
    String probeReady = probeStore.awaitLine("webstore.ready", START_TIMEOUT);
    long spawnToReadyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - probeStore.startedNanos());
    long startToReadyMs = Long.parseLong(match(READY, probeReady));
    double rssAtReady = probeStore.rssMib();
    int probeExit = probeStore.terminate(Duration.ofSeconds(30));
    log("store start to ready: " + startToReadyMs + " ms since JVM start (" + spawnToReadyMs
        + " ms from spawn), RSS at ready " + Math.round(rssAtReady) + " MiB, SIGTERM exit " + probeExit);

    store = startStore(endpoints, true, "store");
    String ready = store.awaitLine("webstore.ready", START_TIMEOUT);
    managementPort = Integer.parseInt(match(MANAGEMENT_PORT, ready));
    log("store ready with demo data: " + ready.substring(ready.indexOf("webstore.ready")));

    generator = Engines.await(LoadGenerator.create(vertx, settings.lanes()));
    String admin = login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(200, send(HttpMethod.PUT, "/api/v1/admin/inventory/" + SOLD_OUT_SKU, admin,
        new JsonObject().put("on_hand", 0)));
    expect(200, send(HttpMethod.PUT, "/api/v1/admin/inventory/" + CHECKOUT_SKU, admin,
        new JsonObject().put("on_hand", 100_000_000)));
    HttpResponse<Buffer> product = expect(200, send(HttpMethod.GET, "/api/v1/products/" + HOT_SKU, null, null));
    Path document = runDir.resolve("product.json");
    Files.write(document, product.body().getBytes());
    ChildJvm ceiling = child("ceiling", List.of(ChildJvm.java(), "-Xmx" + settings.storeHeap(), "-cp",
        System.getProperty("java.class.path"), CeilingServer.class.getName(), document.toString(),
        product.getHeader("Content-Type")), Map.of());
    int ceilingPort = Integer.parseInt(match(Pattern.compile("port=(\\d+)"),
        ceiling.awaitLine("CEILING_READY", START_TIMEOUT)));
    sampler.scheduleAtFixedRate(() -> storeRssMax.accumulate(store.rssMib()), 0, 250, TimeUnit.MILLISECONDS);

    Shots shots = new Shots();
    JsonObject ceilingFirst = httpScenario("ceiling", ceilingPort, ceiling, shots.get("/api/v1/products/" + HOT_SKU));
    record(ceilingFirst, "ceiling");
    if (settings.runs("product_read")) {
      record(httpScenario("product_read", storePort, store, shots.get("/api/v1/products/" + HOT_SKU)), "ceiling");
    }

    boolean carts = settings.runs("sold_out") || settings.runs("cart_read") || settings.runs("add_to_cart");
    List<String> guests = carts ? guestCarts(GUEST_CARTS) : List.of();
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    Buffer soldOutBody = new JsonObject().put("sku", SOLD_OUT_SKU).put("quantity", 1).toBuffer();
    // every request made before the runs: the generator's work per request is sending it, not building it
    List<LoadGenerator.Shot> soldOutAdds = guests.stream().map(session -> new LoadGenerator.Shot(HttpMethod.POST,
        "/api/v1/cart/items", MultiMap.caseInsensitiveMultiMap().addAll(json).add("X-Session-Id", session),
        soldOutBody)).toList();
    AtomicLong soldOutCursor = new AtomicLong();
    if (settings.runs("sold_out")) {
      record(httpScenario("sold_out", storePort, store,
          i -> soldOutAdds.get((int) (soldOutCursor.getAndIncrement() % soldOutAdds.size()))), "ceiling");
    }

    List<LoadGenerator.Shot> cartReads = guests.subList(0, Math.min(READ_CARTS, guests.size())).stream()
        .map(session -> new LoadGenerator.Shot(HttpMethod.GET, "/api/v1/cart",
            MultiMap.caseInsensitiveMultiMap().add("X-Session-Id", session), null)).toList();
    AtomicLong readCursor = new AtomicLong();
    if (settings.runs("cart_read")) {
      record(httpScenario("cart_read", storePort, store,
          i -> cartReads.get((int) (readCursor.getAndIncrement() % cartReads.size()))), "ceiling");
    }

    double rawRps = Double.NaN;
    if (settings.runs("raw_write")) {
      JsonObject raw = rawWrites(URI.create(endpoints.get("dynamo")), URI.create(endpoints.get("dynamo_direct")));
      rawRps = raw.getDouble("rps");
      record(raw, "raw_write");
    }

    List<String> customers = settings.runs("add_to_cart") ? customerCarts(CUSTOMER_CARTS, "cart") : List.of();
    List<MultiMap> owners = new ArrayList<>();
    for (int i = 0; i < Math.max(guests.size(), customers.size()); i++) {
      if (i < guests.size()) {
        owners.add(MultiMap.caseInsensitiveMultiMap().addAll(json).add("X-Session-Id", guests.get(i)));
      }
      if (i < customers.size()) {
        owners.add(MultiMap.caseInsensitiveMultiMap().addAll(json).add("Authorization", "Bearer " + customers.get(i)));
      }
    }
    List<Buffer> addBodies = new ArrayList<>();
    for (int n = 3; n <= 42; n++) {
      addBodies.add(new JsonObject().put("sku", String.format(Locale.ROOT, "SKU-AUT-%03d", n)).put("quantity", 1)
          .toBuffer());
    }
    AtomicLong addCursor = new AtomicLong();
    if (settings.runs("add_to_cart")) {
      record(httpScenario("add_to_cart", storePort, store, i -> {
        long n = addCursor.getAndIncrement();
        return new LoadGenerator.Shot(HttpMethod.POST, "/api/v1/cart/items", owners.get((int) (n % owners.size())),
            addBodies.get((int) ((n / owners.size()) % addBodies.size())));
      }).put("owners", new JsonObject().put("guest", guests.size()).put("customer", customers.size())), "raw_write");
    }

    if (settings.runs("checkout")) {
      record(checkout(endpoints.get("counts"), rawRps), "raw_write");
    }

    // the ceiling again, last: a neighbour's burst during one measure only ever lowers it, and a lowered ceiling
    // would flatter the store, so the better of the two is the reference
    JsonObject ceilingLast = httpScenario("ceiling", ceilingPort, ceiling, shots.get("/api/v1/products/" + HOT_SKU));
    log("ceiling measured again: " + ceilingLast.getDouble("rps") + " req/s (first " + ceilingFirst.getDouble("rps")
        + ")");
    JsonArray measures = new JsonArray().add(ceilingFirst.getDouble("rps")).add(ceilingLast.getDouble("rps"));
    JsonArray closedMeasures = new JsonArray().add(ceilingFirst.getDouble("closed_rps"))
        .add(ceilingLast.getDouble("closed_rps"));
    double ceilingClosed = Math.max(ceilingFirst.getDouble("closed_rps"), ceilingLast.getDouble("closed_rps"));
    if (ceilingLast.getDouble("rps") > ceilingFirst.getDouble("rps")) {
      ceilingFirst.clear().mergeIn(ceilingLast.copy());
    }
    ceilingFirst.put("reference", "ceiling").put("measures_rps", measures).put("closed_measures_rps", closedMeasures)
        .put("closed_rps", ceilingClosed);
    // the raw write rate is a closed loop's (64 writes in flight): the reference for both readings
    Map<String, Double> references = Map.of("ceiling", ceilingFirst.getDouble("rps"), "raw_write", rawRps);
    Map<String, Double> closedReferences = Map.of("ceiling", ceilingClosed, "raw_write", rawRps);
    for (int i = 0; i < scenarios.size(); i++) {
      resultLines.add(resultLine(scenarios.getJsonObject(i), references, closedReferences));
    }

    double rssAfter = store.rssMib();
    JsonObject storeJson = new JsonObject().put("start_to_ready_ms", startToReadyMs)
        .put("spawn_to_ready_ms", spawnToReadyMs).put("rss_at_ready_mib", round(rssAtReady))
        .put("rss_under_load_max_mib", round(storeRssMax.get())).put("rss_after_mib", round(rssAfter))
        .put("heap", settings.storeHeap()).put("sigterm_exit", probeExit);
    String storeLine = String.format(Locale.ROOT,
        "STORE rss_under_load_mib=%.0f start_to_ready_ms=%d heap=%s generator_cpu_max_cores=%.2f "
            + "generator_cpu_per_store_cpu_max=%.2f",
        storeRssMax.get(), startToReadyMs, settings.storeHeap(), maxGeneratorCpu, maxGeneratorPerStoreCpu);
    writeResults(started, storeJson, endpoints, storeLine);
    System.out.println();
    resultLines.forEach(System.out::println);
    System.out.println(storeLine);
  }

  /** Warm-up, probe, open runs above the peak found so far and one at 70% of the measured peak. */
  private JsonObject httpScenario(String name, int port, ChildJvm server, LoadGenerator.Requests requests) {
    Instant from = Instant.now();
    log(name + ": warm-up " + settings.warmup().toSeconds() + " s");
    LoadGenerator.Outcome warmup = await(generator.closed(port, settings.connections(), settings.warmup(),
        requests));
    LoadGenerator.Outcome probe = await(generator.closed(port, settings.connections(), settings.probe(), requests));
    log(name + ": probe " + probe);
    OpenRuns open = openRuns(name, port, server, requests, peak(warmup, probe));
    LoadGenerator.Outcome best = open.reported();
    return new JsonObject().put("scenario", name).put("rps", round(best.rps())).put("p50_ms", round(best.p50Ms()))
        .put("p99_ms", round(best.p99Ms())).put("sustained", best.sustained())
        .put("offered_rps", round(best.targetRate())).put("peak_rps", round(open.peak()))
        .put("closed_rps", round(peak(warmup, probe))).put("peak_probe_rps", round(probe.rps()))
        .put("p99_at_70pct_ms", round(open.at70().p99Ms())).put("rps_at_70pct", round(open.at70().rps()))
        .put("generator_cpu_ms_per_1k", round(best.generatorCpuMsPerThousand()))
        .put("server_cpu_ms_per_1k", open.runs().getJsonObject(open.outcomes().indexOf(best))
            .getDouble("server_cpu_ms_per_1k"))
        .put("statuses", statuses(best)).put("probe", outcomeJson(probe)).put("runs", open.runs())
        .put("at_70pct", open.at70Json())
        // when it ran (UTC), to find the scenario in a flight recording of the store
        .put("window", new JsonObject().put("from", from.toString()).put("to", Instant.now().toString()));
  }

  /** A scenario's open runs: each run's outcome and JSON, the reported peak, the run at 70% of it. */
  private record OpenRuns(List<LoadGenerator.Outcome> outcomes, JsonArray runs, double peak,
      LoadGenerator.Outcome at70, JsonObject at70Json) {
    /**
     * The reported run: the sustained run that served the most; when none was sustained (every rate tried was too
     * high), the one that served the most, marked {@code "sustained": false} in the JSON.
     */
    LoadGenerator.Outcome reported() {
      Comparator<LoadGenerator.Outcome> served = Comparator.comparingDouble(LoadGenerator.Outcome::rps);
      return outcomes.stream().filter(LoadGenerator.Outcome::sustained).max(served)
          .orElseGet(() -> outcomes.stream().max(served).orElseThrow());
    }
  }

  /**
   * {@code runs} open runs that search for the highest offered rate the server sustains ({@link
   * LoadGenerator.Outcome#sustained}: it serves at least 97% of what it is offered and its latency does not grow
   * over the window). The first is offered the closed loops' rate; after a sustained run the next is offered {@link
   * #STEP} times more (or halfway to the lowest rate that was not sustained), after one that was not sustained, {@link
   * #STEP} times less (or halfway down to the highest sustained one). An overloaded run's served rate is not a rate the
   * server can keep (its queue and latency grow without bound, and what it serves in the window depends on how its
   * queue behaves when full), so it is reported only when no run was sustained. Then one run at 70% of the reported
   * rate.
   */
  private OpenRuns openRuns(String name, int port, ChildJvm server, LoadGenerator.Requests requests,
      double closedPeak) {
    double offered = closedPeak;
    double sustainedAt = 0;
    double failedAt = Double.POSITIVE_INFINITY;
    JsonArray runs = new JsonArray();
    List<LoadGenerator.Outcome> outcomes = new ArrayList<>();
    for (int r = 0; r < settings.runs(); r++) {
      double cpuBefore = server.cpuSeconds();
      LoadGenerator.Outcome outcome = await(generator.open(port, settings.connections(), offered, settings.run(),
          requests));
      double serverCpu = server.cpuSeconds() - cpuBefore;
      log(name + ": run " + (r + 1) + " " + outcome + serverCpuText(serverCpu, outcome));
      outcomes.add(outcome);
      runs.add(outcomeJson(outcome, server, serverCpu).put("sustained", outcome.sustained()));
      if (outcome.exhausted()) {
        break; // a finite pool of requests (customers) ran out: no later run would be offered what it asks for
      }
      if (outcome.sustained()) {
        sustainedAt = Math.max(sustainedAt, offered);
      } else {
        failedAt = Math.min(failedAt, offered);
      }
      offered = nextOffered(sustainedAt, failedAt);
    }
    LoadGenerator.Outcome reported = new OpenRuns(outcomes, runs, 0, null, null).reported();
    double peak = reported.rps();
    double cpuBefore = server.cpuSeconds();
    LoadGenerator.Outcome at70 = await(generator.open(port, settings.connections(), 0.7 * peak, settings.run(),
        requests));
    double serverCpu = server.cpuSeconds() - cpuBefore;
    log(name + ": reported " + Math.round(peak) + "/s (" + (reported.sustained() ? "sustained" : "none sustained")
        + "); at 70% of it: " + at70 + serverCpuText(serverCpu, at70));
    return new OpenRuns(outcomes, runs, peak, at70, outcomeJson(at70, server, serverCpu));
  }

  /** The search's next offered rate, from the highest sustained rate so far (0: none) and the lowest not (∞: none). */
  static double nextOffered(double sustainedAt, double failedAt) {
    if (failedAt == Double.POSITIVE_INFINITY) {
      return sustainedAt * STEP;
    }
    if (sustainedAt == 0) {
      return failedAt / STEP;
    }
    return Math.sqrt(sustainedAt * failedAt); // halfway between, on the ratio scale the step uses
  }

  private static String serverCpuText(double serverCpuSeconds, LoadGenerator.Outcome outcome) {
    return String.format(Locale.ROOT, ", server %.2f cores, %.1f ms per 1k", serverCpuSeconds / outcome.seconds(),
        serverCpuMsPerThousand(serverCpuSeconds, outcome));
  }

  private static double serverCpuMsPerThousand(double serverCpuSeconds, LoadGenerator.Outcome outcome) {
    long answers = outcome.statuses().values().stream().mapToLong(Long::longValue).sum();
    return answers == 0 ? 0 : serverCpuSeconds * 1e3 * 1000 / answers;
  }

  private JsonObject rawWrites(URI throughProxy, URI direct) {
    try (RawWrites raw = new RawWrites(throughProxy, settings.connections());
        RawWrites rawDirect = new RawWrites(direct, settings.connections())) {
      raw.createTable();
      log("raw_write: warm-up " + settings.warmup().toSeconds() + " s");
      raw.run(settings.connections(), settings.warmup());
      // the counting proxy's own cost: the same writes straight to the engine, once
      RawWrites.Outcome directOutcome = rawDirect.run(settings.connections(), settings.run());
      log("raw_write: direct to the engine, not through the counting proxy: " + directOutcome);
      List<RawWrites.Outcome> outcomes = new ArrayList<>();
      JsonArray runs = new JsonArray();
      for (int r = 0; r < settings.runs(); r++) {
        RawWrites.Outcome outcome = raw.run(settings.connections(), settings.run());
        log("raw_write: run " + (r + 1) + " " + outcome);
        maxGeneratorCpu = Math.max(maxGeneratorCpu, outcome.generatorCpuCores());
        outcomes.add(outcome);
        runs.add(new JsonObject().put("rps", round(outcome.rps())).put("p50_ms", ms(outcome.latency(), 50))
            .put("p99_ms", ms(outcome.latency(), 99)).put("failed", outcome.failed())
            .put("first_failure", outcome.firstFailure())
            .put("generator_cpu_cores", round(outcome.generatorCpuCores())));
      }
      RawWrites.Outcome median = outcomes.stream().sorted(Comparator.comparingDouble(RawWrites.Outcome::rps))
          .toList().get(outcomes.size() / 2);
      return new JsonObject().put("scenario", "raw_write").put("rps", round(median.rps()))
          .put("p50_ms", ms(median.latency(), 50)).put("p99_ms", ms(median.latency(), 99))
          .put("concurrency", settings.connections()).put("direct_rps", round(directOutcome.rps()))
          .put("direct_p99_ms", ms(directOutcome.latency(), 99)).put("direct_failed", directOutcome.failed())
          .put("direct_first_failure", directOutcome.firstFailure()).put("runs", runs);
    }
  }

  /**
   * Checkouts of distinct customers, each with one line of an amply stocked SKU in the cart. DynamoDB writes are
   * counted by the engines' counting proxy (every table, every attempt) over the open runs and divided by the orders
   * placed in them; the store's own {@code webstore_*_dynamo_calls} meters give the calls (reads too) per order.
   */
  private JsonObject checkout(String countsUrl, double rawRps) {
    Buffer body = new JsonObject().put("payment_token", "tok_approve").put("shipping_address", new JsonObject()
        .put("name", "Bench Buyer").put("line1", "1 Load Street").put("city", "Berlin").put("postal_code", "10115")
        .put("country", "DE")).toBuffer();
    List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>(customerCarts(1_500, "checkout"));
    AtomicInteger cursor = new AtomicInteger();
    LoadGenerator.Requests requests = i -> {
      int n = cursor.getAndIncrement();
      return n >= tokens.size() ? null : new LoadGenerator.Shot(HttpMethod.POST, "/api/v1/checkout",
          MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
              .add("Authorization", "Bearer " + tokens.get(n)).add("Idempotency-Key", "bench-" + UUID.randomUUID()),
          body);
    };
    log("checkout: warm-up " + settings.warmup().toSeconds() + " s");
    LoadGenerator.Outcome warmup = await(generator.closed(storePort, settings.connections(), settings.warmup(),
        requests));
    LoadGenerator.Outcome probe = await(generator.closed(storePort, settings.connections(), settings.probe(),
        requests));
    log("checkout: probe " + probe);
    double peak = peak(warmup, probe);
    // enough for every open run of a search that only ever steps up, and the run at 70%
    double offered = 0;
    double target = peak;
    for (int r = 0; r < settings.runs(); r++) {
      offered += target * settings.run().toSeconds();
      target *= STEP;
    }
    offered += 0.7 * target / STEP * settings.run().toSeconds();
    int needed = (int) Math.min(settings.maxCheckoutCustomers(), Math.ceil(offered * 1.1) + 64);
    int more = needed - (tokens.size() - cursor.get());
    if (more > 0) {
      log("checkout: preparing " + more + " more customers for " + Math.round(peak) + " checkouts/s");
      tokens.addAll(customerCarts(more, "checkout"));
    }
    // the sign-ups just prepared, and the warm-up's and probe's orders, leave writes behind (the outbox relay's claims
    // and records of their events): they must be done before the window, or they count as the window's orders' cost
    JsonObject drain = new JsonObject().put("before", drainWrites(countsUrl));
    JsonObject countsBefore = getJson(countsUrl);
    Map<String, Double> metersBefore = dynamoCallMeters();
    OpenRuns open = openRuns("checkout", storePort, store, requests, peak);
    // and the window's own orders' relay writes, still under way when the last run ends, are theirs: wait for them
    drain.put("after", drainWrites(countsUrl));
    List<LoadGenerator.Outcome> outcomes = open.outcomes();
    JsonArray runs = open.runs();
    LoadGenerator.Outcome at70 = open.at70();
    long orders = at70.statuses().getOrDefault(201, 0L);
    for (LoadGenerator.Outcome outcome : outcomes) {
      orders += outcome.statuses().getOrDefault(201, 0L);
    }
    JsonObject countsAfter = getJson(countsUrl);
    Map<String, Double> metersAfter = dynamoCallMeters();

    JsonObject writesByTable = new JsonObject();
    JsonObject readsByTable = new JsonObject();
    long writes = 0;
    long reads = 0;
    for (String key : countsAfter.fieldNames()) {
      long delta = countsAfter.getLong(key) - countsBefore.getLong(key, 0L);
      if (delta == 0) {
        continue;
      }
      boolean write = isWrite(key.substring(0, key.indexOf(' ')));
      (write ? writesByTable : readsByTable).put(key, orders == 0 ? 0 : round((double) delta / orders));
      if (write) {
        writes += delta;
      } else {
        reads += delta;
      }
    }
    double sdkCalls = 0;
    JsonObject callsByFeature = new JsonObject();
    for (Map.Entry<String, Double> meter : metersAfter.entrySet()) {
      double delta = meter.getValue() - metersBefore.getOrDefault(meter.getKey(), 0.0);
      if (delta > 0) {
        sdkCalls += delta;
        callsByFeature.put(meter.getKey(), orders == 0 ? 0 : round(delta / orders));
      }
    }
    double writesPerOrder = orders == 0 ? 0 : (double) writes / orders;
    LoadGenerator.Outcome median = open.reported();
    double ordersPerSecond = orderRate(median);
    return new JsonObject().put("scenario", "checkout").put("rps", round(ordersPerSecond))
        .put("p50_ms", round(median.p50Ms())).put("p99_ms", round(median.p99Ms()))
        .put("sustained", median.sustained()).put("offered_rps", round(median.targetRate()))
        .put("closed_rps", round(peak * orderShare(probe))).put("writes_per_order", round(writesPerOrder))
        .put("drain", drain)
        .put("ratio_basis", "orders/s x writes_per_order / raw_write rps")
        .put("ratio_value", rawRps == 0 ? 0 : round(ordersPerSecond * writesPerOrder / rawRps))
        .put("peak_rps", round(open.peak())).put("peak_probe_rps", round(probe.rps()))
        .put("p99_at_70pct_ms", round(at70.p99Ms())).put("rps_at_70pct", round(orderRate(at70))).put("orders_counted", orders)
        .put("generator_cpu_ms_per_1k", round(median.generatorCpuMsPerThousand()))
        .put("server_cpu_ms_per_1k", runs.getJsonObject(outcomes.indexOf(median)).getDouble("server_cpu_ms_per_1k"))
        .put("reads_per_order", orders == 0 ? 0 : round((double) reads / orders))
        .put("writes_per_order_by_table", writesByTable).put("reads_per_order_by_table", readsByTable)
        .put("sdk_calls_per_order", orders == 0 ? 0 : round(sdkCalls / orders))
        .put("sdk_calls_per_order_by_meter", callsByFeature)
        .put("statuses", statuses(median)).put("probe", outcomeJson(probe)).put("runs", runs)
        .put("at_70pct", open.at70Json());
  }

  /**
   * The rate the open runs start from: the higher closed-loop rate of the warm-up and the probe (on a shared machine a
   * neighbour's burst only ever lowers a closed loop's rate, and an open run never exceeds its target).
   */
  private static double peak(LoadGenerator.Outcome warmup, LoadGenerator.Outcome probe) {
    return Math.max(1, Math.max(warmup.rps(), probe.rps()));
  }

  /** The share of a run's answers that were orders placed (201). */
  private static double orderShare(LoadGenerator.Outcome outcome) {
    long answers = outcome.statuses().values().stream().mapToLong(Long::longValue).sum();
    return answers == 0 ? 0 : (double) outcome.statuses().getOrDefault(201, 0L) / answers;
  }

  /**
   * Waits until the store's DynamoDB writes, as the counting proxy sees them, have stopped: no more than {@link
   * #QUIET_WRITES} in each of {@link #QUIET_CHECKS} consecutive intervals of {@link #QUIET_INTERVAL}, or {@link
   * #DRAIN_TIMEOUT} at most. Returns how long it waited, the writes seen meanwhile, and whether it became quiet.
   */
  private JsonObject drainWrites(String countsUrl) {
    long started = System.nanoTime();
    long deadline = started + DRAIN_TIMEOUT.toNanos();
    long first = writes(getJson(countsUrl));
    long last = first;
    int quietChecks = 0;
    while (quietChecks < QUIET_CHECKS && System.nanoTime() < deadline) {
      await(Future.<Void>future(p -> vertx.setTimer(QUIET_INTERVAL.toMillis(), id -> p.complete())));
      long now = writes(getJson(countsUrl));
      quietChecks = now - last <= QUIET_WRITES ? quietChecks + 1 : 0;
      last = now;
    }
    double waitedS = (System.nanoTime() - started) / 1e9;
    log(String.format(Locale.ROOT, "checkout: background writes %s after %.1f s (%d writes meanwhile)",
        quietChecks >= QUIET_CHECKS ? "done" : "still going", waitedS, last - first));
    return new JsonObject().put("waited_s", round(waitedS)).put("writes", last - first)
        .put("quiet", quietChecks >= QUIET_CHECKS);
  }

  /** Every write the counting proxy has forwarded so far, over every table. */
  private static long writes(JsonObject counts) {
    long writes = 0;
    for (String key : counts.fieldNames()) {
      if (isWrite(key.substring(0, key.indexOf(' ')))) {
        writes += counts.getLong(key);
      }
    }
    return writes;
  }

  private static boolean isWrite(String operation) {
    return operation.equals("PutItem") || operation.equals("UpdateItem") || operation.equals("DeleteItem")
        || operation.equals("BatchWriteItem") || operation.startsWith("TransactWrite");
  }

  /** Orders (201) per second that arrived within the window. */
  private static double orderRate(LoadGenerator.Outcome outcome) {
    long answers = outcome.statuses().values().stream().mapToLong(Long::longValue).sum();
    return answers == 0 ? 0 : outcome.answeredRps() * outcome.statuses().getOrDefault(201, 0L) / answers;
  }

  /** Keeps a scenario's results; its ratio and RESULT line come once every reference is measured. */
  private void record(JsonObject scenario, String reference) {
    scenario.put("reference", reference);
    scenarios.add(scenario);
    log(scenario.getString("scenario") + ": " + scenario.getDouble("rps") + " req/s, p99 "
        + scenario.getDouble("p99_ms") + " ms (reference " + reference + ")");
  }

  /**
   * Sets the scenario's ratios against its reference and returns its RESULT line: {@code ratio} from the sustained
   * open rates, {@code closed_ratio} from the closed loops' rates (the scenario's warm-up or probe against the
   * reference's), like with like each.
   */
  private static String resultLine(JsonObject scenario, Map<String, Double> references,
      Map<String, Double> closedReferences) {
    String name = scenario.getString("scenario");
    String reference = scenario.getString("reference");
    double rps = scenario.getDouble("rps");
    double referenceRps = references.get(reference);
    double ratio = name.equals(reference) ? 1.0
        : scenario.containsKey("ratio_value") ? scenario.getDouble("ratio_value")
        : referenceRps == 0 ? 0 : rps / referenceRps;
    scenario.put("ratio", round(ratio));
    if (!name.equals(reference) && scenario.containsKey("closed_rps")) {
      double closedReference = closedReferences.get(reference);
      double closedRps = scenario.getDouble("closed_rps");
      double closedRatio = closedReference == 0 ? 0 : scenario.containsKey("writes_per_order")
          ? closedRps * scenario.getDouble("writes_per_order") / closedReference
          : closedRps / closedReference;
      scenario.put("closed_ratio", round(closedRatio));
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "RESULT scenario=%s rps=%.0f p50_ms=%.2f p99_ms=%.2f ratio=%.2f reference=%s", name, rps,
        scenario.getDouble("p50_ms"), scenario.getDouble("p99_ms"), ratio, reference));
    if (scenario.containsKey("writes_per_order")) {
      line.append(String.format(Locale.ROOT, " writes_per_order=%.2f", scenario.getDouble("writes_per_order")));
    }
    if (scenario.containsKey("p99_at_70pct_ms")) {
      line.append(String.format(Locale.ROOT, " p99_at_70pct_ms=%.2f", scenario.getDouble("p99_at_70pct_ms")));
    }
    if (scenario.containsKey("closed_ratio")) {
      line.append(String.format(Locale.ROOT, " closed_ratio=%.2f", scenario.getDouble("closed_ratio")));
    }
    if (scenario.containsKey("sustained") && !scenario.getBoolean("sustained")) {
      line.append(" sustained=false");
    }
    if (scenario.containsKey("direct_rps")) {
      line.append(String.format(Locale.ROOT, " direct_rps=%.0f", scenario.getDouble("direct_rps")));
    }
    return line.toString();
  }

  private JsonObject outcomeJson(LoadGenerator.Outcome outcome) {
    maxGeneratorCpu = Math.max(maxGeneratorCpu, outcome.generatorCpuCores());
    return new JsonObject().put("mode", outcome.mode()).put("target_rate", round(outcome.targetRate()))
        .put("rps", round(outcome.rps())).put("answered_rps", round(outcome.answeredRps()))
        .put("p50_ms", round(outcome.p50Ms())).put("p99_ms", round(outcome.p99Ms()))
        .put("max_ms", round(outcome.maxMs())).put("sent", outcome.sent()).put("unfinished", outcome.unfinished())
        .put("statuses", statuses(outcome)).put("generator_cpu_cores", round(outcome.generatorCpuCores()))
        .put("generator_cpu_ms_per_1k", round(outcome.generatorCpuMsPerThousand()))
        .put("request_pool_used_up", outcome.exhausted());
  }

  private JsonObject outcomeJson(LoadGenerator.Outcome outcome, ChildJvm server, double serverCpuSeconds) {
    double serverPerThousand = serverCpuMsPerThousand(serverCpuSeconds, outcome);
    double generatorPerServer = serverPerThousand == 0 ? 0 : outcome.generatorCpuMsPerThousand() / serverPerThousand;
    if (server == store) {
      maxGeneratorPerStoreCpu = Math.max(maxGeneratorPerStoreCpu, generatorPerServer);
    }
    return outcomeJson(outcome).put("server_cpu_cores", round(serverCpuSeconds / outcome.seconds()))
        .put("server_cpu_ms_per_1k", round(serverPerThousand))
        .put("generator_cpu_per_server_cpu", round(generatorPerServer));
  }

  private static JsonObject statuses(LoadGenerator.Outcome outcome) {
    JsonObject statuses = new JsonObject();
    outcome.statuses().forEach((status, count) -> statuses.put(String.valueOf(status), count));
    return statuses;
  }

  private void writeResults(Instant started, JsonObject storeJson, Map<String, String> endpoints, String storeLine)
      throws IOException {
    JsonObject results = new JsonObject()
        .put("started", started.toString()).put("finished", Instant.now().toString())
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
            .put("load_average_1m", round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()))
            .put("java", System.getProperty("java.version")))
        .put("settings", settings.toJson())
        .put("store", storeJson)
        .put("generator", new JsonObject().put("cpu_max_cores", round(maxGeneratorCpu))
            .put("cpu_per_store_cpu_max", round(maxGeneratorPerStoreCpu))
            .put("kind", "Vert.x HTTP client, open model (constant arrival rate), HdrHistogram from intended send time"))
        .put("scenarios", scenarios)
        .put("lines", new JsonArray(new ArrayList<>(resultLines)).add(storeLine))
        .put("logs", runDir.toString());
    Path file = settings.out().resolve("results-" + STAMP.format(started) + ".json");
    Files.writeString(file, results.encodePrettily());
    Files.writeString(settings.out().resolve("latest.json"), results.encodePrettily());
    log("results: " + file + " (and " + settings.out().resolve("latest.json") + ")");
  }

  // ---- the store and its preparation ----

  private ChildJvm startStore(Map<String, String> endpoints, boolean demo, String name) {
    storePort = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("WEBSTORE_PROFILE", "dev");
    env.put("WEBSTORE_HTTP_PORT", String.valueOf(storePort));
    env.put("WEBSTORE_MANAGEMENT_PORT", String.valueOf(freePort()));
    env.put("WEBSTORE_AWS_DYNAMODB_ENDPOINT", endpoints.get("dynamo"));
    env.put("WEBSTORE_AWS_SQS_ENDPOINT", endpoints.get("sqs"));
    // the dev EventBridge endpoint: without it the relay would retry every event against an unreachable AWS endpoint
    env.put("WEBSTORE_AWS_EVENTBRIDGE_ENDPOINT", endpoints.get("eventbridge"));
    env.put("WEBSTORE_KAFKA_BOOTSTRAP_SERVERS", endpoints.get("kafka"));
    env.put("WEBSTORE_REDIS_URI", endpoints.get("redis"));
    env.put("WEBSTORE_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("WEBSTORE_DEMO_ENABLED", String.valueOf(demo));
    // limits that no scenario reaches: the limiter still runs on every request
    env.put("WEBSTORE_RUNTIME_FILE", settings.runtimeFile().toAbsolutePath().toString());
    // the bench signs up thousands of buyers; no measured request hashes a password
    env.put("WEBSTORE_CUSTOMER_ARGON2_MEMORY_KIB", "1024");
    env.put("WEBSTORE_CUSTOMER_ARGON2_ITERATIONS", "1");
    if (!demo) {
      env.put("WEBSTORE_HTTP_SHUTDOWN_GRACE_MS", "0");
    }
    // as the image runs: its MALLOC_ARENA_MAX (pom.xml) and the serial collector, which the JVM picks in the chart's
    // 1 GiB pod (the image names none; README "Tuning", Memory), unless the options name a collector
    env.put("MALLOC_ARENA_MAX", "2");
    List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-Xmx" + settings.storeHeap()));
    List<String> extra = settings.storeJavaOpts().isBlank() ? List.of()
        : List.of(settings.storeJavaOpts().trim().split("\\s+"));
    if (extra.stream().noneMatch(flag -> flag.matches("-XX:\\+Use\\w+GC"))) {
      command.add("-XX:+UseSerialGC");
    }
    command.addAll(extra);
    command.addAll(List.of("-jar", settings.jar().toString()));
    return child(name, command, env);
  }

  /** Guest sessions, each with a cart of one line. */
  private List<String> guestCarts(int count) {
    log("preparing " + count + " guest carts");
    return inParallel(count, i -> retrying(() -> web.get(storePort, "127.0.0.1", "/api/v1/cart").send(), 3)
        .map(response -> expect(200, response).getHeader("X-Session-Id"))
        .compose(session -> retrying(() -> web.post(storePort, "127.0.0.1", "/api/v1/cart/items")
            .putHeader("X-Session-Id", session)
            .sendJsonObject(new JsonObject().put("sku", "SKU-AUT-043").put("quantity", 1)), 3)
            .map(response -> {
              expect(200, response);
              return session;
            })));
  }

  /** Customers signed up and logged in, each with a cart of one line of the checkout SKU; their bearer tokens. */
  private List<String> customerCarts(int count, String kind) {
    log("preparing " + count + " customers with a cart (" + kind + ")");
    String batch = UUID.randomUUID().toString().substring(0, 8);
    return inParallel(count, i -> {
      String email = "bench-" + kind + "-" + batch + "-" + i + "@example.com";
      JsonObject credentials = new JsonObject().put("email", email).put("password", CUSTOMER_PASSWORD);
      return retrying(() -> web.post(storePort, "127.0.0.1", "/api/v1/auth/signup").sendJsonObject(credentials), 3)
          .map(response -> expect(201, response))
          .compose(created -> retrying(() -> web.post(storePort, "127.0.0.1", "/api/v1/auth/login")
              .sendJsonObject(credentials), 3))
          .map(response -> expect(200, response).bodyAsJsonObject().getString("access_token"))
          .compose(token -> retrying(() -> web.post(storePort, "127.0.0.1", "/api/v1/cart/items")
              .bearerTokenAuthentication(token)
              .sendJsonObject(new JsonObject().put("sku", CHECKOUT_SKU).put("quantity", 1)), 3)
              .map(response -> {
                expect(200, response);
                return token;
              }));
    });
  }

  /** Retries a request answered 503 or 429 (the hashing pool or a limiter shedding), after a short pause. */
  private Future<HttpResponse<Buffer>> retrying(java.util.function.Supplier<Future<HttpResponse<Buffer>>> call,
      int attemptsLeft) {
    return call.get().compose(response -> (response.statusCode() == 503 || response.statusCode() == 429)
        && attemptsLeft > 1
        ? Future.<Void>future(p -> vertx.setTimer(200, id -> p.complete())).compose(v -> retrying(call,
            attemptsLeft - 1))
        : Future.succeededFuture(response));
  }

  private <T> List<T> inParallel(int count, IntFunction<Future<T>> task) {
    List<T> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < PREP_IN_FLIGHT; w++) {
      workers.add(worker(next, count, task, results));
    }
    await(Future.all(workers));
    return new ArrayList<>(results);
  }

  private <T> Future<Void> worker(AtomicInteger next, int count, IntFunction<Future<T>> task, List<T> results) {
    int i = next.getAndIncrement();
    if (i >= count) {
      return Future.succeededFuture();
    }
    return task.apply(i).compose(result -> {
      results.add(result);
      return worker(next, count, task, results);
    });
  }

  private String login(String email, String password) {
    return expect(200, send(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", password))).bodyAsJsonObject().getString("access_token");
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    var request = web.request(method, storePort, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static HttpResponse<Buffer> expect(int status, HttpResponse<Buffer> response) {
    if (response.statusCode() != status) {
      throw new IllegalStateException("expected HTTP " + status + ", got " + response.statusCode() + ": "
          + response.bodyAsString());
    }
    return response;
  }

  private JsonObject getJson(String url) {
    URI uri = URI.create(url);
    return expect(200, await(web.get(uri.getPort(), uri.getHost(), uri.getPath()).send())).bodyAsJsonObject();
  }

  /** {@code webstore_<feature>_dynamo_calls_seconds_count} summed per feature, from the management port. */
  private Map<String, Double> dynamoCallMeters() {
    String metrics = expect(200, await(web.get(managementPort, "127.0.0.1", "/metrics").send())).bodyAsString();
    Map<String, Double> byFeature = new LinkedHashMap<>();
    Pattern meter = Pattern.compile("^(webstore_[a-z]+_dynamo_calls_seconds_count)\\{.*}\\s+([0-9.eE+-]+)$",
        Pattern.MULTILINE);
    Matcher m = meter.matcher(metrics);
    while (m.find()) {
      byFeature.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
    }
    return byFeature;
  }

  // ---- plumbing ----

  /** Starts a child JVM; with {@code bench.serverCpus} set, on those CPUs only (taskset execs the JVM: same pid). */
  private ChildJvm child(String name, List<String> command, Map<String, String> env) {
    List<String> pinned = new ArrayList<>();
    if (!settings.serverCpus().isBlank()) {
      pinned.addAll(List.of("taskset", "-c", settings.serverCpus()));
    }
    pinned.addAll(command);
    ChildJvm child = ChildJvm.start(name, pinned, env, Path.of("").toAbsolutePath(), runDir.resolve(name + ".log"));
    children.add(child);
    return child;
  }

  private <T> T await(Future<T> future) {
    return Engines.await(future, Duration.ofMinutes(10));
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : line.trim().split("\\s+")) {
      int eq = field.indexOf('=');
      fields.put(field.substring(0, eq), field.substring(eq + 1));
    }
    return fields;
  }

  private static String match(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + pattern + " in: " + text);
    }
    return m.group(1);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double ms(org.HdrHistogram.Histogram latency, double percentile) {
    return latency.getTotalCount() == 0 ? 0 : round(latency.getValueAtPercentile(percentile) / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void log(String message) {
    System.out.println("bench: " + message);
    System.out.flush();
  }

  private void close() {
    sampler.shutdownNow();
    for (int i = children.size() - 1; i >= 0; i--) {
      ChildJvm child = children.get(i);
      if (child == store) {
        child.terminate(Duration.ofSeconds(20));
      }
      child.close();
    }
    Engines.await(vertx.close(), Duration.ofMinutes(1));
  }

  /** Request suppliers that ignore the index (fixed requests). */
  private static final class Shots {
    LoadGenerator.Requests get(String uri) {
      LoadGenerator.Shot shot = new LoadGenerator.Shot(HttpMethod.GET, uri, null, null);
      return i -> shot;
    }
  }
}
