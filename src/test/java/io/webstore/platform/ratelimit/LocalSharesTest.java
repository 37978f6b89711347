package io.webstore.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.webstore.platform.ratelimit.RateLimiter.Bucket;
import io.webstore.platform.ratelimit.RateLimiter.WhenDown;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local shares of a Redis bucket (the dev engine), as two instances of the store would hold them: each on an event
 * loop of its own, one bucket between them.
 */
@ExtendWith(VertxExtension.class)
class LocalSharesTest {

  /** Redis's {@code TIME} as the bucket script reads it: whole milliseconds. */
  private static final double REDIS_CLOCK_STEP_SECONDS = 0.001;

  private static Redis redis;
  private static RateLimiter limiter;

  @BeforeAll
  static void connect(Vertx vertx) {
    redis = Redis.createClient(vertx, Engines.shared().devServices().endpoints().redis());
    limiter = Engines.await(RateLimiter.create(vertx, RedisAPI.api(redis), new SimpleMeterRegistry(),
        Duration.ofSeconds(5)));
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @Test
  void twoInstancesFloodingOneBucketAdmitNoMoreThanItHandsOut(Vertx vertx) {
    Bucket bucket = new Bucket("test", "flood-" + UUID.randomUUID(), 200, 100);
    AtomicInteger admitted = new AtomicInteger();
    long started = System.nanoTime();
    // a lease of up to 100 tokens (100 per second × 1 s): the most a share may hold
    Future<Void> first = flood(vertx.getOrCreateContext(), new LocalShares(limiter, Duration.ofSeconds(1)), bucket,
        600, admitted);
    Future<Void> second = flood(vertx.getOrCreateContext(), new LocalShares(limiter, Duration.ofSeconds(1)), bucket,
        600, admitted);
    Engines.await(Future.all(first, second));
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(admitted.get()).as("a full bucket of 200 is all theirs").isGreaterThanOrEqualTo(200);
    // the bucket refills by the server's clock, which counts whole milliseconds: between its first and last reading it
    // can see up to 1 ms more than passed
    assertThat((double) admitted.get()).as("no more than the bucket held and refilled in %.3f s", seconds)
        .isLessThanOrEqualTo(200 + 100 * (seconds + REDIS_CLOCK_STEP_SECONDS));
  }

  @Test
  void belowOneTokenPerLeaseEveryRequestIsDecidedInRedis(Vertx vertx) {
    // 5 per second × 100 ms is half a token: every lease is one token, the exact limit of asking every time
    Bucket bucket = new Bucket("test", "exact-" + UUID.randomUUID(), 5, 5);
    AtomicInteger admitted = new AtomicInteger();
    long started = System.nanoTime();
    Engines.await(flood(vertx.getOrCreateContext(), new LocalShares(limiter, Duration.ofMillis(100)), bucket, 30,
        admitted));
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(admitted.get()).isGreaterThanOrEqualTo(5);
    assertThat((double) admitted.get()).isLessThanOrEqualTo(5 + 5 * (seconds + REDIS_CLOCK_STEP_SECONDS));
  }

  /** {@code count} requests one after the other on {@code context}, as one event loop serves them. */
  private static Future<Void> flood(Context context, LocalShares shares, Bucket bucket, int count,
      AtomicInteger admitted) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(start -> next(shares, bucket, count, admitted).onComplete(done));
    return done.future();
  }

  private static Future<Void> next(LocalShares shares, Bucket bucket, int left, AtomicInteger admitted) {
    if (left == 0) {
      return Future.succeededFuture();
    }
    // a few at once, as concurrent requests arrive on one loop: they share the lease on its way
    List<Future<RateLimiter.Decision>> batch = List.of(shares.take("test", bucket, WhenDown.REFUSE),
        shares.take("test", bucket, WhenDown.REFUSE), shares.take("test", bucket, WhenDown.REFUSE));
    return Future.all(batch).compose(all -> {
      batch.forEach(decision -> {
        if (decision.result().allowed()) {
          admitted.incrementAndGet();
        }
      });
      return next(shares, bucket, Math.max(0, left - batch.size()), admitted);
    });
  }
}
