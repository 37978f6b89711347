package io.webstore.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.webstore.platform.metrics.Metered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link SharedProductCache} on Redis: {@code <tablePrefix>catalog:product:<sku>} holds the product's JSON (or
 * {@value #GONE} for a product known not to exist) with a TTL; invalidations go out with PUBLISH on {@link #channel}.
 * Keys and channel carry the table prefix, so stores on different tables never share entries.
 */
final class RedisProductCache implements SharedProductCache {

  static final String METER = "webstore.catalog.redis.calls";
  private static final String GONE = "-";

  private final RedisAPI redis;
  private final MeterRegistry meters;
  private final String keyPrefix;
  private final String channel;
  private final long ttlSeconds;
  private final long goneTtlSeconds;
  private final long timeoutMs;

  RedisProductCache(RedisAPI redis, MeterRegistry meters, String namespace, Duration ttl, Duration goneTtl,
      Duration timeout) {
    this.redis = redis;
    this.meters = meters;
    this.keyPrefix = namespace + "catalog:product:";
    this.channel = channel(namespace);
    this.ttlSeconds = ttl.toSeconds();
    this.goneTtlSeconds = goneTtl.toSeconds();
    this.timeoutMs = timeout.toMillis();
  }

  /** The invalidation channel of the stores on tables with this prefix. */
  static String channel(String namespace) {
    return namespace + "catalog.invalidate";
  }

  @Override
  public Future<Entry> get(String sku) {
    return timed("get", () -> redis.get(keyPrefix + sku)).map(response -> {
      if (response == null) {
        return Entry.MISS;
      }
      String text = response.toString();
      return GONE.equals(text) ? Entry.GONE : Entry.of(CatalogJson.fromStorage(text));
    });
  }

  @Override
  public Future<Void> fillIfAbsent(String sku, Product found) {
    return timed("set", () -> redis.set(List.of(keyPrefix + sku, found == null ? GONE : CatalogJson.storage(found),
        "NX", "EX", Long.toString(found == null ? goneTtlSeconds : ttlSeconds)))).mapEmpty();
  }

  @Override
  public Future<Void> replace(String sku, Product written) {
    // a deletion leaves a marker rather than no key: a read that found the product just before the delete then
    // fails its fill-if-absent instead of bringing the product back
    return timed("set", () -> redis.set(List.of(keyPrefix + sku,
        written == null ? GONE : CatalogJson.storage(written),
        "EX", Long.toString(written == null ? goneTtlSeconds : ttlSeconds)))).mapEmpty();
  }

  @Override
  public Future<Void> forget(Collection<String> skus) {
    if (skus.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> keys = new ArrayList<>(skus.size());
    skus.forEach(sku -> keys.add(keyPrefix + sku));
    return timed("del", () -> redis.del(keys)).mapEmpty();
  }

  @Override
  public Future<Void> publish(Invalidation invalidation) {
    return timed("publish", () -> redis.publish(channel, encode(invalidation))).mapEmpty();
  }

  static String encode(Invalidation invalidation) {
    return new JsonObject()
        .put("kind", invalidation.kind().name())
        .put("key", invalidation.key())
        .put("origin", invalidation.origin())
        .encode();
  }

  static Invalidation decode(String text) {
    JsonObject json = new JsonObject(text);
    return new Invalidation(Invalidation.Kind.valueOf(json.getString("kind")), json.getString("key"),
        json.getString("origin"));
  }

  private Future<Response> timed(String operation, Supplier<Future<Response>> call) {
    return Metered.timed(meters, METER, operation, () -> call.get().timeout(timeoutMs, TimeUnit.MILLISECONDS));
  }
}
