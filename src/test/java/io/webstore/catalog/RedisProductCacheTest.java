package io.webstore.catalog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared-cache contract, on Redis (the dev engine), in a namespace of this run's own. */
class RedisProductCacheTest extends SharedProductCacheContract {

  private static Redis redis;

  @BeforeAll
  static void connect(Vertx vertx) {
    redis = Redis.createClient(vertx, Engines.shared().devServices().endpoints().redis());
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @Override
  protected Future<SharedProductCache> createCache() {
    return Future.succeededFuture(new RedisProductCache(RedisAPI.api(redis), new SimpleMeterRegistry(),
        "contract-" + UUID.randomUUID() + ":", Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(5)));
  }
}
