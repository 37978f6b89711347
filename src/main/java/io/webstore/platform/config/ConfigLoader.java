package io.webstore.platform.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads {@code conf/application.json} &lt; {@code conf/<profile>.json} &lt; {@code WEBSTORE_<SECTION>_<KEY>} &lt;
 * explicit overrides (tests and the dev launcher), then validates it into a {@link WebstoreConfig}.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  public static Future<WebstoreConfig> load(Vertx vertx, Path confDir, Map<String, String> env, JsonObject overrides) {
    String profile = env.getOrDefault("WEBSTORE_PROFILE", "dev");
    Path base = confDir.resolve("application.json");
    Path profileFile = confDir.resolve(profile + ".json");
    if (!Files.isRegularFile(base)) {
      return Future.failedFuture(new ConfigException("config file " + base.toAbsolutePath() + " is missing"));
    }
    if (!Files.isRegularFile(profileFile)) { // an unknown profile is a typo, not a default
      return Future.failedFuture(new ConfigException("WEBSTORE_PROFILE=" + profile + " has no config file "
          + profileFile.toAbsolutePath() + " (profiles: dev, aws)"));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .addStore(jsonFile(base))
        .addStore(jsonFile(profileFile))
        .addStore(new ConfigStoreOptions().setType("json").setConfig(EnvOverrides.nest(env, "WEBSTORE_")))
        .addStore(new ConfigStoreOptions().setType("json").setConfig(overrides == null ? new JsonObject() : overrides)));
    return retriever.getConfig()
        .andThen(done -> retriever.close())
        .map(json -> WebstoreConfig.from(json.put("profile", profile)));
  }

  private static ConfigStoreOptions jsonFile(Path path) {
    return new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", path.toString()));
  }
}
