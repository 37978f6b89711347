package io.webstore.flags;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.config.RuntimeSettings;
import io.webstore.platform.config.RuntimeSettingsClient;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the flags: evaluates them for a targeting key from a cached snapshot of the table, and stores admins'
 * changes. The snapshot lives {@code flags.cacheTtlMs} (runtime settings, applied on {@code config.changed}) and is
 * dropped at once when this instance stores a change; other instances see it within that TTL. Flags not in the table
 * take {@code flags.defaults}. One instance per process, so "this instance" is this process.
 */
final class FlagsVerticle extends VerticleBase {

  /** Request/reply: {@code {"key": targetingKey}} → {@code {"flags": {name: bool}}}. */
  public static final String EVALUATE = "flags.evaluate";
  /**
   * Request/reply: {@code {"name", "enabled", "percentage", "description"?, "expected_version"?, "actor"}} → the
   * stored flag. Without {@code expected_version} the change applies to the version read just before (a lost race is
   * a conflict).
   */
  public static final String PUT = "flags.put";
  /** Request/reply: {@code {}} → {@code {"flags": [flag...], "defaults": {name: bool}}}. */
  public static final String LIST = "flags.list";

  private static final Logger log = LoggerFactory.getLogger(FlagsVerticle.class);
  private static final String SNAPSHOT = "table";

  private final FlagStore store;
  private Cache<String, Future<FlagTable>> cache;
  private Map<String, Boolean> defaults = Map.of();
  private FlagTable lastLoaded;

  public FlagsVerticle(FlagStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    RuntimeSettingsClient settings = new RuntimeSettingsClient(vertx);
    return settings.onChange(this::apply).completion()
        .compose(subscribed -> settings.current())
        .recover(err -> Future.failedFuture(new IllegalStateException(
            "flags needs the runtime settings (is the runtime feature disabled?): " + err.getMessage(), err)))
        .onSuccess(this::apply)
        .compose(current -> Future.all(
            vertx.eventBus().<JsonObject>consumer(EVALUATE, this::evaluate).completion(),
            vertx.eventBus().<JsonObject>consumer(PUT, this::put).completion(),
            vertx.eventBus().<JsonObject>consumer(LIST, this::list).completion()));
  }

  private void apply(RuntimeSettings settings) {
    defaults = settings.flags().defaults();
    if (cache == null) {
      cache = Caffeine.newBuilder().expireAfterWrite(settings.flags().cacheTtl()).maximumSize(1).build();
    } else {
      cache.policy().expireAfterWrite().ifPresent(expiry -> expiry.setExpiresAfter(settings.flags().cacheTtl()));
    }
  }

  private void evaluate(Message<JsonObject> msg) {
    String key = msg.body().getString("key");
    if (key == null || key.isBlank()) {
      Replies.fail(msg, Validation.of("/key", "a targeting key is required"));
      return;
    }
    snapshot()
        .onSuccess(table -> msg.reply(FlagJson.evaluation(table.evaluate(key, defaults))))
        .onFailure(err -> Replies.fail(msg, err));
  }

  /** The cached table; concurrent callers share one load, and a failed load is not kept. */
  private Future<FlagTable> snapshot() {
    Future<FlagTable> table = cache.get(SNAPSHOT, key -> load());
    return table.onFailure(err -> cache.asMap().remove(SNAPSHOT, table));
  }

  private Future<FlagTable> load() {
    return store.all()
        .map(flags -> {
          lastLoaded = FlagTable.of(flags);
          return lastLoaded;
        })
        .recover(err -> {
          if (lastLoaded == null) {
            log.warn("flags.load.failed error={}", err.toString());
            return Future.failedFuture(new Unavailable("feature flags are unavailable; retry shortly"));
          }
          // serving the last table read beats failing every page while the table is unreachable; retried after TTL
          log.warn("flags.load.failed serving=last-loaded error={}", err.toString());
          return Future.succeededFuture(lastLoaded);
        });
  }

  private void put(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    String name = body.getString("name");
    String actor = body.getString("actor");
    Long expectedVersion = body.getLong("expected_version");
    if (name == null || !Flag.NAME.matcher(name).matches()) {
      Replies.fail(msg, Validation.of("/name", "a flag name matches " + Flag.NAME.pattern()));
      return;
    }
    if (actor == null || actor.isBlank()) {
      Replies.fail(msg, Validation.of("/actor", "the admin making the change is required"));
      return;
    }
    FlagChange change;
    try {
      change = FlagJson.change(body);
    } catch (Validation invalid) {
      Replies.fail(msg, invalid);
      return;
    }
    Future<Long> expected = expectedVersion != null
        ? Future.succeededFuture(expectedVersion)
        : store.find(name).map(found -> found.map(Flag::version).orElse(0L));
    expected
        .compose(version -> store.save(change.applyTo(name, version + 1, Instant.now(), actor), version))
        .onSuccess(saved -> {
          cache.invalidate(SNAPSHOT);
          log.info("flags.changed flag={} enabled={} percentage={} version={} by={}", saved.name(), saved.enabled(),
              saved.percentage(), saved.version(), saved.updatedBy());
          msg.reply(FlagJson.toJson(saved));
        })
        .onFailure(err -> Replies.fail(msg, err));
  }

  private void list(Message<JsonObject> msg) {
    store.all()
        .map(flags -> new FlagListing(flags.stream().sorted(Comparator.comparing(Flag::name)).toList(), defaults))
        .onSuccess(listing -> msg.reply(FlagJson.listing(listing)))
        .onFailure(err -> Replies.fail(msg, err));
  }
}
