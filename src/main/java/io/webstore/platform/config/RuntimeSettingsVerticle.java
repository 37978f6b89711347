package io.webstore.platform.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.config.ConfigChange;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the runtime settings: reads {@code runtime.file} at start (a bad file fails start, naming the key), then
 * re-reads it every {@code runtime.scanPeriodMs}. A valid change becomes the current settings and is published on
 * {@value #CHANGED}; an invalid or unreadable file is logged as {@code config.rejected} and the last good settings
 * stay. {@value #CURRENT} answers the current settings, so features can read them at start.
 */
public final class RuntimeSettingsVerticle extends VerticleBase {

  /** Request/reply: the current settings, as {@link RuntimeSettings#toJson()}. */
  public static final String CURRENT = "config.runtime";
  /** Published: the new settings, as {@link RuntimeSettings#toJson()}, after each accepted change. */
  public static final String CHANGED = "config.changed";

  private static final Logger log = LoggerFactory.getLogger(RuntimeSettingsVerticle.class);

  private final WebstoreConfig.Runtime config;
  private final Counter applied;
  private final Counter rejected;
  private ConfigRetriever retriever;
  private RuntimeSettings current;

  public RuntimeSettingsVerticle(WebstoreConfig.Runtime config, MeterRegistry meters) {
    this.config = config;
    this.applied = reloads(meters, "applied");
    this.rejected = reloads(meters, "rejected");
  }

  private static Counter reloads(MeterRegistry meters, String outcome) {
    return Counter.builder("webstore.config.reloads")
        .description("Changes of the runtime settings file, by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public Future<?> start() {
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(config.scanPeriod().toMillis())
        .addStore(new ConfigStoreOptions().setType("file").setFormat("json")
            .setConfig(new JsonObject().put("path", config.file()))));
    return retriever.getConfig()
        .recover(err -> Future.failedFuture(new ConfigException("runtime.file " + config.file()
            + " cannot be read as a JSON object (" + oneLine(err) + "); fix the file or set it in conf/ or "
            + EnvOverrides.variableFor("runtime", "file"))))
        .map(json -> RuntimeSettings.from(json, config.file()))
        .compose(settings -> {
          current = settings;
          retriever.listen(this::changed);
          retriever.configStream().exceptionHandler(err -> reject("unreadable: " + oneLine(err)));
          return vertx.eventBus().<JsonObject>consumer(CURRENT, this::current).completion();
        })
        .onSuccess(started -> log.info("config.runtime.loaded file={} scan_period_ms={}", config.file(),
            config.scanPeriod().toMillis()))
        .onFailure(err -> retriever.close());
  }

  private void current(Message<JsonObject> msg) {
    msg.reply(current.toJson());
  }

  private void changed(ConfigChange change) {
    RuntimeSettings next;
    try {
      next = RuntimeSettings.from(change.getNewConfiguration(), config.file());
    } catch (ConfigException invalid) {
      reject(invalid.getMessage());
      return;
    }
    List<String> keys = next.changedKeys(current);
    if (keys.isEmpty()) { // back to the values in force, after a rejected edit
      return;
    }
    current = next;
    applied.increment();
    vertx.eventBus().publish(CHANGED, next.toJson());
    log.info("config.changed keys={}", String.join(",", keys));
  }

  private void reject(String reason) {
    rejected.increment();
    log.warn("config.rejected reason={} file={} (the last good settings stay in force)", reason, config.file());
  }

  /** Parser messages span lines; a log line and a start-up error should not. */
  private static String oneLine(Throwable err) {
    return String.valueOf(err.getMessage()).replaceAll("\\s+", " ");
  }

  @Override
  public Future<?> stop() {
    return retriever == null ? Future.succeededFuture() : retriever.close();
  }
}
