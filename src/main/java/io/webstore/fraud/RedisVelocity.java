package io.webstore.fraud;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The velocity counters in Redis: one Lua script ({@code fraud/velocity.lua}) per score and per failed login, by
 * EVALSHA, falling back to EVAL when Redis lost its script cache. Every key is under one hash tag ({@code fr{1}:}) so
 * the script also runs on a cluster. Keys hold a customer id, a hashed email, an address, a device id or a card
 * fingerprint: never an email, a card token or a password.
 */
final class RedisVelocity implements Velocity {

  static final String PREFIX = "fr{1}:";
  private static final String SCRIPT = "fraud/velocity.lua";
  /** A window keeps at most this many entries: a flood saturates its count instead of growing the key. */
  private static final int MOST = 10_000;
  private static final Duration HISTORY = Duration.ofDays(180);
  private static final String NONE = "-";

  private final RedisAPI redis;
  private final long timeoutMs;
  private final String window;
  private final String failedWindow;
  private final String source;
  private final String sha;

  private RedisVelocity(RedisAPI redis, Duration timeout, Duration window, Duration failedWindow, String source) {
    this.redis = redis;
    this.timeoutMs = timeout.toMillis();
    this.window = Long.toString(window.toMillis());
    this.failedWindow = Long.toString(failedWindow.toMillis());
    this.source = source;
    this.sha = sha1(source);
  }

  /** Reads the script from the classpath; EVALSHA loads it into Redis on first use. */
  static Future<RedisVelocity> create(Vertx vertx, RedisAPI redis, Duration timeout, Duration window,
      Duration failedWindow) {
    return vertx.fileSystem().readFile(SCRIPT)
        .map(text -> new RedisVelocity(redis, timeout, window, failedWindow, text.toString(StandardCharsets.UTF_8)));
  }

  @Override
  public Future<Signals.Counts> observe(Subjects s) {
    String event = s.event().wireName();
    boolean account = s.account() != null;
    List<String> args = new ArrayList<>(26);
    args.add(sha);
    args.add("8");
    args.add(PREFIX + event + ":account:" + orNone(s.account()));
    args.add(PREFIX + event + ":ip:" + s.ip());
    args.add(PREFIX + event + ":card:" + orNone(s.cardFingerprint()));
    args.add(PREFIX + event + ":device:" + orNone(s.device()));
    args.add(PREFIX + "cards:" + orNone(s.account()));
    args.add(PREFIX + "failed:ip:" + s.ip());
    args.add(PREFIX + "failed:account:" + orNone(s.loginKey() != null ? s.loginKey() : s.account()));
    args.add(PREFIX + "amounts:" + orNone(s.account()) + ":" + orNone(s.currency()));
    args.add("observe");
    args.add(UUID.randomUUID().toString());
    args.add(window);
    args.add(failedWindow);
    args.add(Integer.toString(MOST));
    args.add(account ? "1" : "0");
    args.add("1");
    args.add(s.cardFingerprint() != null ? "1" : "0");
    args.add(s.device() != null ? "1" : "0");
    args.add(s.cardFingerprint() == null ? "" : s.cardFingerprint());
    args.add(s.amount() == null || s.currency() == null ? "" : s.amount());
    args.add(Long.toString(HISTORY.toMillis()));
    return run(args).map(RedisVelocity::counts);
  }

  @Override
  public Future<Void> loginFailed(String accountKey, String ip) {
    List<String> args = List.of(sha, "2", PREFIX + "failed:ip:" + ip, PREFIX + "failed:account:" + accountKey,
        "fail", UUID.randomUUID().toString(), window, failedWindow, Integer.toString(MOST));
    return run(args).mapEmpty();
  }

  private Future<Response> run(List<String> args) {
    return redis.evalsha(args)
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
            ? redis.eval(withScript(args))
            : Future.failedFuture(err))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private List<String> withScript(List<String> args) {
    List<String> copy = new ArrayList<>(args);
    copy.set(0, source);
    return copy;
  }

  private static Signals.Counts counts(Response reply) {
    return new Signals.Counts(reply.get(0).toLong(), reply.get(1).toLong(), reply.get(2).toLong(),
        reply.get(3).toLong(), reply.get(4).toLong(), reply.get(5).toLong(), reply.get(6).toLong(),
        reply.get(7).toLong(), new BigDecimal(reply.get(8).toString()));
  }

  private static String orNone(String subject) {
    return subject == null ? NONE : subject;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }
}
