package io.webstore.platform.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.metrics.MeterCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis, decided by one Lua script ({@code ratelimit/token_bucket.lua}, run by EVALSHA, falling back
 * to EVAL when Redis lost its script cache). Every key is under one hash tag ({@code rl{1}:}) so a decision over
 * several buckets also runs on a cluster. Each decision is counted as {@code webstore.ratelimit.decisions} by limit
 * and outcome, never by client or account.
 *
 * <p>When Redis does not answer within the timeout, each limit says what happens ({@link WhenDown}).
 */
public final class RateLimiter {

  /** What a decision is when Redis cannot be asked. */
  public enum WhenDown {
    /** Let the request through (logged and counted as {@code redis_down_allowed}). */
    ALLOW,
    /** Refuse it with 503 (counted as {@code redis_down_refused}). */
    REFUSE
  }

  /** How a decision uses its buckets (see the script). */
  public enum Mode { TAKE, PEEK, DRAIN }

  /**
   * One token bucket: {@code capacity} tokens, refilled at {@code perSecond}.
   *
   * @param limit   the limit's name, in the key and never with the subject in a metric
   * @param subject whom it counts (an address, a hashed email, a customer id)
   */
  public record Bucket(String limit, String subject, int capacity, double perSecond) {
    String key() {
      return PREFIX + limit + ":" + subject;
    }
  }

  /** The answer: allowed, or refused with the whole seconds to wait (at least 1). */
  public record Decision(boolean allowed, long retryAfterSeconds) {
    static final Decision ALLOWED = new Decision(true, 0);
  }

  /**
   * The answer to {@link #lease}: the decision for the request that asked, and how many tokens Redis handed out (the
   * asking request's own included; 0 when refused or when Redis could not be asked).
   */
  record Lease(Decision decision, int tokens) {
  }

  static final String PREFIX = "rl{1}:";
  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  private static final String SCRIPT = "ratelimit/token_bucket.lua";
  private static final long LOG_EVERY_MS = 10_000;

  private final RedisAPI redis;
  private final MeterRegistry meters;
  private final long timeoutMs;
  private final String source;
  private final String sha;
  private final AtomicLong lastDownLog = new AtomicLong();

  private RateLimiter(RedisAPI redis, MeterRegistry meters, Duration timeout, String source) {
    this.redis = redis;
    this.meters = meters;
    this.timeoutMs = timeout.toMillis();
    this.source = source;
    this.sha = sha1(source);
  }

  /** Reads the script from the classpath; EVALSHA loads it into Redis on first use. */
  public static Future<RateLimiter> create(Vertx vertx, RedisAPI redis, MeterRegistry meters, Duration timeout) {
    return vertx.fileSystem().readFile(SCRIPT)
        .map(text -> new RateLimiter(redis, meters, timeout, text.toString(StandardCharsets.UTF_8)));
  }

  /**
   * Decides over {@code buckets} at once and counts the decision under {@code limit}. Fails only with {@link
   * Unavailable}, when Redis is down and {@code whenDown} is {@link WhenDown#REFUSE}.
   */
  public Future<Decision> decide(String limit, Mode mode, List<Bucket> buckets, WhenDown whenDown) {
    List<String> args = new ArrayList<>();
    args.add(sha);
    args.add(String.valueOf(buckets.size()));
    buckets.forEach(bucket -> args.add(bucket.key()));
    args.add(mode.name().toLowerCase(java.util.Locale.ROOT));
    args.add("1");
    buckets.forEach(bucket -> {
      args.add(String.valueOf(bucket.capacity()));
      args.add(String.valueOf(bucket.perSecond()));
    });
    return redis.evalsha(args)
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
            ? redis.eval(withScript(args))
            : Future.failedFuture(err))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(RateLimiter::decision)
        .andThen(result -> {
          if (result.succeeded()) {
            count(limit, result.result().allowed() ? "allowed" : "limited");
          }
        })
        .recover(err -> down(limit, whenDown, err));
  }

  /**
   * Takes up to {@code wanted} tokens of {@code bucket} at once (at least one, else refused), after giving back {@code
   * unused} tokens of an earlier lease; counted under {@code limit} as one decision, like {@link #decide}.
   */
  Future<Lease> lease(String limit, Bucket bucket, int wanted, int unused, WhenDown whenDown) {
    List<String> args = List.of(sha, "1", bucket.key(), "lease", String.valueOf(wanted),
        String.valueOf(bucket.capacity()), String.valueOf(bucket.perSecond()), String.valueOf(unused));
    return redis.evalsha(args)
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
            ? redis.eval(withScript(args))
            : Future.failedFuture(err))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(reply -> {
          Decision decision = decision(reply);
          count(limit, decision.allowed() ? "allowed" : "limited");
          return new Lease(decision, decision.allowed() ? reply.get(2).toInteger() : 0);
        })
        .recover(err -> down(limit, whenDown, err).map(decision -> new Lease(decision, 0)));
  }

  private List<String> withScript(List<String> args) {
    List<String> copy = new ArrayList<>(args);
    copy.set(0, source);
    return copy;
  }

  private static Decision decision(Response reply) {
    if (reply.get(0).toInteger() == 1) {
      return Decision.ALLOWED;
    }
    long waitMs = reply.get(1).toLong();
    return new Decision(false, Math.max(1, (waitMs + 999) / 1000));
  }

  private Future<Decision> down(String limit, WhenDown whenDown, Throwable err) {
    long now = System.currentTimeMillis();
    long last = lastDownLog.get();
    if (now - last > LOG_EVERY_MS && lastDownLog.compareAndSet(last, now)) { // one line per outage, not per request
      log.warn("ratelimit.redis_down limit={} when_down={} error={}", limit, whenDown, err.toString());
    }
    if (whenDown == WhenDown.ALLOW) {
      count(limit, "redis_down_allowed");
      return Future.succeededFuture(Decision.ALLOWED);
    }
    count(limit, "redis_down_refused");
    return Future.failedFuture(new Unavailable("the rate limiter is not reachable; retry shortly"));
  }

  void count(String limit, String outcome) {
    decisions(limit, outcome).increment();
  }

  /** The counter of {@code limit}'s decisions with {@code outcome}. */
  Counter decisions(String limit, String outcome) {
    return MeterCache.of(meters).describedCounter("webstore.ratelimit.decisions",
        "Rate limit decisions by limit and outcome", "limit", limit, "outcome", outcome);
  }

  /** A stable, short stand-in for a subject that must not be stored as is (an email). */
  public static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }
}
