package io.webstore.inventory;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.metrics.Metered;
import io.webstore.platform.resilience.Bulkhead;
import io.webstore.platform.resilience.Retries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger in Redis. Every key is under one prefix with a hash tag ({@link #PREFIX} {@code inv{1}:}, the store's),
 * so the multi-key scripts also run on a cluster (at the price of keeping the whole ledger in one slot). Keys:
 * <ul>
 *   <li>{@code inv{1}:ready} marker, set last by a rebuild; every script refuses to work without it</li>
 *   <li>{@code inv{1}:rebuild-lock} SET NX PX lock of the one instance rebuilding</li>
 *   <li>{@code inv{1}:avail} hash SKU → units available (on hand − held over the SKU's buckets)</li>
 *   <li>{@code inv{1}:sku:<sku>} hash {@code o|<bucket>} on hand, {@code v|<bucket>} its DynamoDB version,
 *       {@code h|<bucket>} held</li>
 *   <li>{@code inv{1}:hold:<id>} hash state (held, committing, committed, released, expired), exp (epoch ms), lines
 *       (canonical), parts (JSON); finished holds stay as tombstones for idempotent replies</li>
 *   <li>{@code inv{1}:expiry} sorted set hold id → when the sweeper looks at it (expiry, or a commit's
 *       roll-forward deadline)</li>
 * </ul>
 * Scripts are loaded once (SCRIPT LOAD) and run by EVALSHA, falling back to EVAL when Redis lost its script cache.
 */
final class RedisStockLedger implements StockLedger {

  private static final Logger log = LoggerFactory.getLogger(RedisStockLedger.class);

  /** The key prefix and hash tag of every inventory key. */
  public static final String PREFIX = "inv{1}:";
  private static final String TIMER = "webstore.inventory.redis.calls";
  private static final int CLEAR_CHUNK = 1_000;
  private static final int ATTEMPTS = 3;
  private static final List<String> SCRIPTS = List.of("hold", "check", "commit_begin", "commit_finish", "release",
      "sweep", "apply_stock", "availability", "levels", "rebuild_clear", "rebuild_load", "rebuild_finish");

  /** One Lua script: the shared helpers followed by its body, with its SHA1 for EVALSHA. */
  private record Script(String name, String source, String sha) {}

  private final RedisAPI redis;
  private final String prefix;
  private final String readyKey;
  private final String lockKey;
  private final String availKey;
  private final String expiryKey;
  private final MeterRegistry meters;
  private final long timeoutMs;
  private final String tombstoneMs;
  private final String rollForwardMs;
  private final Runnable onNotReady;
  private final Map<String, Script> scripts;
  private final Bulkhead gate;
  private final Retries retries;

  private RedisStockLedger(Vertx vertx, RedisAPI redis, String prefix, MeterRegistry meters, Duration commandTimeout,
      Duration tombstone, Duration rollForward, Runnable onNotReady, Map<String, Script> scripts, Bulkhead gate) {
    this.redis = redis;
    this.prefix = prefix;
    this.readyKey = prefix + "ready";
    this.lockKey = prefix + "rebuild-lock";
    this.availKey = prefix + "avail";
    this.expiryKey = prefix + "expiry";
    this.gate = gate;
    this.retries = Retries.named("inventory.redis").attempts(ATTEMPTS)
        .backoff(Duration.ofMillis(40), Duration.ofMillis(1_000))
        .retryIf(RedisStockLedger::retryable)
        .metered(meters)
        .build(vertx);
    this.meters = meters;
    this.timeoutMs = commandTimeout.toMillis();
    this.tombstoneMs = String.valueOf(tombstone.toMillis());
    this.rollForwardMs = String.valueOf(rollForward.toMillis());
    this.onNotReady = onNotReady;
    this.scripts = scripts;
  }

  /**
   * Reads the scripts from the classpath and loads them into Redis. {@code onNotReady} is told whenever a script finds
   * the ready marker missing (so a rebuild starts without waiting for the sweeper). At most {@code maxInFlight}
   * commands run at once; up to {@code maxQueued} more wait, each at most {@code queueTimeout}.
   */
  public static Future<RedisStockLedger> create(Vertx vertx, RedisAPI redis, MeterRegistry meters,
      Duration commandTimeout, Duration tombstone, Duration rollForward, Runnable onNotReady, int maxInFlight,
      int maxQueued, Duration queueTimeout) {
    return create(vertx, redis, PREFIX, meters, commandTimeout, tombstone, rollForward, onNotReady, maxInFlight,
        maxQueued, queueTimeout);
  }

  /**
   * As {@link #create(Vertx, RedisAPI, MeterRegistry, Duration, Duration, Duration, Runnable, int, int, Duration)},
   * with every key under {@code keyPrefix} instead of {@link #PREFIX}: a ledger of its own beside the store's in the
   * same Redis (the store's sweeper and rebuilds never see it). The prefix must carry a hash tag ({@code {...}}) so
   * the scripts' keys share one cluster slot.
   */
  public static Future<RedisStockLedger> create(Vertx vertx, RedisAPI redis, String keyPrefix, MeterRegistry meters,
      Duration commandTimeout, Duration tombstone, Duration rollForward, Runnable onNotReady, int maxInFlight,
      int maxQueued, Duration queueTimeout) {
    if (!keyPrefix.matches(".*\\{[^}]+}.*")) {
      throw new IllegalArgumentException("the ledger's key prefix needs a hash tag, like inv{1}: (got " + keyPrefix
          + ")");
    }
    Bulkhead gate = Bulkhead.of("stock ledger", maxInFlight, maxQueued, queueTimeout, meters);
    return vertx.fileSystem().readFile("inventory/common.lua").compose(common -> {
      List<Future<Script>> reads = SCRIPTS.stream()
          .map(name -> vertx.fileSystem().readFile("inventory/" + name + ".lua")
              .map(body -> script(name,
                  common.toString(StandardCharsets.UTF_8) + body.toString(StandardCharsets.UTF_8))))
          .toList();
      return Future.all(reads).map(done -> {
        Map<String, Script> byName = new HashMap<>();
        reads.forEach(read -> byName.put(read.result().name(), read.result()));
        return new RedisStockLedger(vertx, redis, keyPrefix, meters, commandTimeout, tombstone, rollForward, onNotReady,
            Map.copyOf(byName), gate);
      });
    }).compose(ledger -> ledger.loadScripts().map(ledger));
  }

  private static Script script(String name, String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new Script(name, source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }

  /** Best effort: EVALSHA falls back to EVAL (which caches the script) if this fails or Redis restarts later. */
  private Future<Void> loadScripts() {
    return Future.join(scripts.values().stream()
            .map(s -> redis.script(List.of("LOAD", s.source())).timeout(timeoutMs, TimeUnit.MILLISECONDS))
            .toList())
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("inventory.scripts.load_failed error={}", err.toString());
          return Future.succeededFuture();
        });
  }

  // ---- operations

  @Override
  public Future<HoldAttempt> hold(String holdId, Duration ttl, String canonicalLines, List<HoldLine> lines) {
    List<String> args = new ArrayList<>(List.of(prefix, holdId, String.valueOf(ttl.toMillis()), canonicalLines));
    lines.forEach(line -> {
      args.add(line.sku());
      args.add(String.valueOf(line.quantity()));
    });
    List<String> keys = List.of(readyKey, availKey, expiryKey, holdKey(holdId));
    return run("hold", keys, args).map(reply -> switch (status(reply)) {
      case "HELD" -> new Held(reply.get(1).toLong(), parts(reply.get(2).toString()), strings(reply, 3));
      case "EXISTS" -> new Existing(reply.get(1).toString(), reply.get(2).toLong(), parts(reply.get(3).toString()));
      case "OUT_OF_STOCK" -> new Short(strings(reply, 1));
      case "MISMATCH" -> new Mismatch();
      default -> throw unexpected("hold", reply);
    });
  }

  @Override
  public Future<Optional<String>> holdState(String holdId) {
    return run("check", List.of(readyKey, holdKey(holdId)), List.of(prefix)).map(reply -> switch (status(reply)) {
      case "OK" -> Optional.of(reply.get(1).toString());
      case "MISSING" -> Optional.<String>empty();
      default -> throw unexpected("check", reply);
    });
  }

  @Override
  public Future<CommitStart> beginCommit(String holdId) {
    return run("commit_begin", List.of(readyKey, availKey, expiryKey, holdKey(holdId)),
        List.of(prefix, holdId, rollForwardMs, tombstoneMs)).map(reply -> switch (status(reply)) {
          case "COMMITTING" -> new Committing(parts(reply.get(1).toString()), reply.get(2).toLong(),
              reply.get(3).toString());
          case "COMMITTED" -> new AlreadyCommitted();
          case "GONE" -> new Gone(reply.get(1).toString());
          case "EXPIRED" -> new Expired(strings(reply, 1));
          case "MISSING" -> new Missing();
          default -> throw unexpected("commit_begin", reply);
        });
  }

  @Override
  public Future<List<String>> finishCommit(String holdId, List<BucketStock> stock) {
    List<String> args = new ArrayList<>(List.of(prefix, holdId, tombstoneMs));
    addStock(args, stock);
    return run("commit_finish", List.of(readyKey, availKey, expiryKey, holdKey(holdId)), args)
        .map(reply -> strings(reply, 1));
  }

  @Override
  public Future<Released> release(String holdId, String finalState) {
    return run("release", List.of(readyKey, availKey, expiryKey, holdKey(holdId)),
        List.of(prefix, holdId, tombstoneMs, finalState)).map(reply -> switch (status(reply)) {
          case "RELEASED" -> new Released(true, "held", strings(reply, 1));
          case "NOOP" -> new Released(false, reply.get(1).toString(), List.of());
          default -> throw unexpected("release", reply);
        });
  }

  @Override
  public Future<Released> abandonCommit(String holdId) {
    return run("release", List.of(readyKey, availKey, expiryKey, holdKey(holdId)),
        List.of(prefix, holdId, tombstoneMs, "released", "1")).map(reply -> switch (status(reply)) {
          case "RELEASED" -> new Released(true, "committing", strings(reply, 1));
          case "NOOP" -> new Released(false, reply.get(1).toString(), List.of());
          default -> throw unexpected("release", reply);
        });
  }

  @Override
  public Future<Sweep> sweep(int batch) {
    return run("sweep", List.of(readyKey, availKey, expiryKey),
        List.of(prefix, String.valueOf(batch), tombstoneMs, rollForwardMs))
        .map(reply -> new Sweep(strings(reply.get(1), 0), strings(reply.get(2), 0), strings(reply.get(3), 0)));
  }

  @Override
  public Future<List<String>> applyStock(List<BucketStock> stock) {
    if (stock.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> args = new ArrayList<>(List.of(prefix));
    addStock(args, stock);
    return run("apply_stock", List.of(readyKey, availKey), args).map(reply -> strings(reply, 1));
  }

  @Override
  public Future<Map<String, Integer>> availability(List<String> skus) {
    if (skus.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> args = new ArrayList<>(List.of(prefix));
    args.addAll(skus);
    return run("availability", List.of(readyKey, availKey), args).map(reply -> {
      Map<String, Integer> available = new LinkedHashMap<>();
      for (int i = 0; i < skus.size(); i++) {
        available.put(skus.get(i), reply.get(i + 1).toInteger());
      }
      return available;
    });
  }

  @Override
  public Future<Map<String, Integer>> heldByBucket(String sku) {
    return run("levels", List.of(readyKey), List.of(prefix, sku)).map(reply -> {
      Map<String, Integer> held = new LinkedHashMap<>();
      for (int i = 1; i + 1 < reply.size(); i += 2) {
        String field = reply.get(i).toString();
        if (field.startsWith("h|")) {
          held.put(field.substring(2), reply.get(i + 1).toInteger());
        }
      }
      return held;
    });
  }

  // ---- rebuild

  @Override
  public Future<Boolean> ready() {
    return call("exists", () -> redis.exists(List.of(readyKey))).map(reply -> reply.toInteger() == 1);
  }

  @Override
  public Future<Optional<String>> lockRebuild(Duration lease) {
    String token = UUID.randomUUID().toString();
    return call("lock", () -> redis.set(List.of(lockKey, token, "NX", "PX", String.valueOf(lease.toMillis()))))
        .map(reply -> reply == null ? Optional.<String>empty() : Optional.of(token));
  }

  @Override
  public Future<Boolean> clear(String token) {
    return scanKeys("0", new ArrayList<>()).compose(keys -> {
      Future<Boolean> chain = Future.succeededFuture(true);
      for (int from = 0; from == 0 || from < keys.size(); from += CLEAR_CHUNK) {
        List<String> args = new ArrayList<>(List.of(prefix, token));
        args.addAll(keys.subList(from, Math.min(keys.size(), from + CLEAR_CHUNK)));
        chain = chain.compose(cleared -> cleared
            ? run("rebuild_clear", List.of(lockKey, readyKey), args).map(reply -> "OK".equals(status(reply)))
            : Future.succeededFuture(false));
      }
      return chain;
    });
  }

  private Future<List<String>> scanKeys(String cursor, List<String> acc) {
    return call("scan", () -> redis.scan(List.of(cursor, "MATCH", prefix + "*", "COUNT", "1000"))).compose(reply -> {
      reply.get(1).forEach(key -> acc.add(key.toString()));
      String next = reply.get(0).toString();
      return "0".equals(next) ? Future.succeededFuture(acc) : scanKeys(next, acc);
    });
  }

  @Override
  public Future<Boolean> load(String token, Duration lease, List<SkuSnapshot> skus, List<HoldSnapshot> holds) {
    JsonArray skuJson = new JsonArray();
    for (SkuSnapshot sku : skus) {
      JsonArray buckets = new JsonArray();
      Map<String, BucketStock> byBucket = new LinkedHashMap<>();
      sku.buckets().forEach(b -> byBucket.put(b.bucket(), b));
      sku.heldByBucket().keySet().forEach(bucket ->
          byBucket.putIfAbsent(bucket, new BucketStock(sku.sku(), bucket, 0, 0)));
      byBucket.values().forEach(b -> buckets.add(new JsonArray()
          .add(b.bucket()).add(b.onHand()).add(b.version()).add(sku.heldByBucket().getOrDefault(b.bucket(), 0))));
      skuJson.add(new JsonObject().put("sku", sku.sku()).put("buckets", buckets));
    }
    JsonArray holdJson = new JsonArray();
    holds.forEach(h -> holdJson.add(new JsonObject().put("id", h.holdId()).put("state", h.state())
        .put("exp", h.expiresAtMs()).put("due", h.dueAtMs()).put("lines", h.lines())
        .put("parts", partsJson(h.parts()))));
    String payload = new JsonObject().put("skus", skuJson).put("holds", holdJson).encode();
    return run("rebuild_load", List.of(lockKey, availKey, expiryKey),
        List.of(prefix, token, String.valueOf(lease.toMillis()), payload))
        .map(reply -> "OK".equals(status(reply)));
  }

  @Override
  public Future<Boolean> markReady(String token, String marker) {
    return run("rebuild_finish", List.of(lockKey, readyKey), List.of(prefix, token, "ready", marker))
        .map(reply -> "OK".equals(status(reply)));
  }

  @Override
  public Future<Void> abortRebuild(String token) {
    return run("rebuild_finish", List.of(lockKey, readyKey), List.of(prefix, token, "abort", "")).mapEmpty();
  }

  // ---- plumbing

  private String holdKey(String holdId) {
    return prefix + "hold:" + holdId;
  }

  private static void addStock(List<String> args, List<BucketStock> stock) {
    stock.forEach(b -> {
      args.add(b.sku());
      args.add(b.bucket());
      args.add(String.valueOf(b.onHand()));
      args.add(String.valueOf(b.version()));
    });
  }

  /** Runs a script by SHA, falling back to its source when Redis does not know it; NOT_READY fails the future. */
  private Future<Response> run(String name, List<String> keys, List<String> args) {
    Script script = scripts.get(name);
    return call(name, () -> redis.evalsha(evalArgs(script.sha(), keys, args))
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
            ? redis.eval(evalArgs(script.source(), keys, args))
            : Future.failedFuture(err)))
        .compose(reply -> {
          if ("NOT_READY".equals(status(reply))) {
            onNotReady.run();
            return Future.failedFuture(new LedgerNotReady());
          }
          return Future.succeededFuture(reply);
        });
  }

  /**
   * One command through the gate, with a timeout and up to {@value #ATTEMPTS} attempts (jittered backoff) when it
   * timed out or the connection failed. Retrying is safe: every script is idempotent (holds by hold id, the hold state
   * machine by state, stock mirrors by version). Redis error replies and a saturated gate are not retried.
   */
  private Future<Response> call(String operation, Supplier<Future<Response>> command) {
    return retries.run(() -> gate.run(() -> Metered.timed(meters, TIMER, operation,
            () -> command.get().timeout(timeoutMs, TimeUnit.MILLISECONDS))))
        .recover(err -> {
          log.warn("inventory.redis.failed operation={} error={}", operation, err.toString());
          return Future.failedFuture(err instanceof Unavailable
              ? err
              : new Unavailable("the stock ledger is not reachable; retry shortly"));
        });
  }

  private static boolean retryable(Throwable err) {
    if (err instanceof Response) { // a Redis error reply: only the transient kinds
      String message = String.valueOf(err.getMessage());
      return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")
          || message.startsWith("MASTERDOWN");
    }
    return !(err instanceof DomainException); // a timeout or a connection failure; not a saturated gate
  }

  private static List<String> evalArgs(String scriptOrSha, List<String> keys, List<String> args) {
    List<String> all = new ArrayList<>(2 + keys.size() + args.size());
    all.add(scriptOrSha);
    all.add(String.valueOf(keys.size()));
    all.addAll(keys);
    all.addAll(args);
    return all;
  }

  private static String status(Response reply) {
    return reply.get(0).toString();
  }

  private static List<String> strings(Response reply, int from) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < reply.size(); i++) {
      out.add(reply.get(i).toString());
    }
    return out;
  }

  /** Parts as the scripts keep them: {@code [[sku, bucket, units], ...]} ({@code {}} when empty, from cjson). */
  static List<HoldPart> parts(String json) {
    if (json == null || json.isBlank() || json.startsWith("{")) {
      return List.of();
    }
    List<HoldPart> parts = new ArrayList<>();
    new JsonArray(json).forEach(item -> {
      JsonArray part = (JsonArray) item;
      parts.add(new HoldPart(part.getString(0), part.getString(1), part.getInteger(2)));
    });
    return List.copyOf(parts);
  }

  static String partsJson(List<HoldPart> parts) {
    JsonArray json = new JsonArray();
    parts.forEach(p -> json.add(new JsonArray().add(p.sku()).add(p.bucket()).add(p.quantity())));
    return json.encode();
  }

  private static IllegalStateException unexpected(String script, Response reply) {
    return new IllegalStateException("inventory script " + script + " answered " + reply);
  }
}
