package io.webstore.catalog;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.webstore.platform.config.RedisConnections;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.resilience.Retries;
import io.webstore.platform.resilience.SingleRun;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's catalog in step with the rest of the world (one instance per process), and owns its listing
 * and sale snapshots (every change of them runs on this verticle's context, see {@link CatalogReloader}): applies other
 * instances' invalidations, received on a Redis connection of its own that SUBSCRIBEs to the invalidation channel
 * (a subscribed connection can do nothing else); drops availability when inventory reports a change; reloads the
 * listing snapshot and the sales periodically. After a lost subscription it reconnects with backoff, then drops
 * everything kept in process and reloads, since invalidations may have been missed meanwhile.
 */
final class CatalogSyncVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(CatalogSyncVerticle.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final CatalogReloader reloader;
  private final ProductReads reads;
  private final WebstoreConfig.RedisConfig redis;
  private final String channel;
  private final Duration refreshPeriod;
  private final Duration commandTimeout;
  private Redis subscriber;
  private RedisConnection connection;
  private boolean stopping;
  private final SingleRun<Void> reconnects = new SingleRun<>();
  private Retries resubscribes;

  CatalogSyncVerticle(CatalogReloader reloader, ProductReads reads, WebstoreConfig.RedisConfig redis, String channel,
      Duration refreshPeriod, Duration commandTimeout) {
    this.reloader = reloader;
    this.reads = reads;
    this.redis = redis;
    this.channel = channel;
    this.refreshPeriod = refreshPeriod;
    this.commandTimeout = commandTimeout;
  }

  @Override
  public Future<?> start() {
    reloader.ownedBy(context);
    subscriber = Redis.createClient(vertx, RedisConnections.options(redis).setMaxPoolSize(1));
    resubscribes = Retries.named("catalog.sync.resubscribe").attempts(Integer.MAX_VALUE)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(MAX_BACKOFF_MS))
        .retryIf(err -> !stopping)
        .build(vertx);
    vertx.setPeriodic(refreshPeriod.toMillis(), timer -> reloader.reload());
    return subscribe();
  }

  private Future<Void> subscribe() {
    return subscriber.connect()
        .compose(conn -> {
          connection = conn;
          conn.handler(this::onPush);
          conn.exceptionHandler(err -> lost("error " + err));
          conn.endHandler(end -> lost("closed"));
          return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
              .timeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        })
        .<Void>mapEmpty()
        .onSuccess(done -> log.info("catalog.sync.subscribed channel={}", channel));
  }

  private void onPush(Response push) {
    // RESP3 pushes and RESP2 arrays alike: ["message", channel, payload]
    if (push == null || push.size() < 3 || !"message".equals(push.get(0).toString())) {
      return;
    }
    try {
      reloader.apply(RedisProductCache.decode(push.get(2).toString()))
          .onFailure(err -> log.warn("catalog.sync.apply_failed error={}", err.toString()));
    } catch (RuntimeException malformed) {
      log.warn("catalog.sync.bad_message error={}", malformed.toString());
    }
  }

  private void lost(String why) {
    if (stopping) {
      return;
    }
    reconnects.startIfIdle(() -> resubscribes.run(this::resubscribeOnce)).ifPresent(reconnected -> {
      log.warn("catalog.sync.subscription_lost reason={}", why);
      reconnected.onSuccess(done -> {
        reads.dropLocal();
        reloader.reload();
      });
    });
  }

  /** Drops what is left of the lost connection and subscribes again. */
  private Future<Void> resubscribeOnce() {
    if (stopping) {
      return Future.failedFuture(new IllegalStateException("stopping"));
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
    return subscribe().onFailure(err -> log.warn("catalog.sync.reconnect_failed error={}", err.toString()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (connection != null) {
      connection.close();
    }
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
