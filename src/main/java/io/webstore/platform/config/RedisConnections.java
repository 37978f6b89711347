package io.webstore.platform.config;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;

/** The one way to build a Redis client's options from the {@code redis} config, so every client of it speaks alike. */
public final class RedisConnections {

  private RedisConnections() {}

  /**
   * Options to reach {@link WebstoreConfig.RedisConfig#uri()}: pool sizes from the config; with {@code rediss://}, TLS
   * from the first byte and a server certificate that must name the URI's host, as for HTTPS (Vert.x refuses a TLS
   * client that does not say how to check the name), trusting {@code redis.caCertFile} besides the JVM's CAs.
   */
  public static RedisOptions options(WebstoreConfig.RedisConfig config) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.uri())
        .setMaxPoolSize(config.poolSize())
        .setMaxPoolWaiting(config.maxWaitingHandlers())
        .setMaxWaitingHandlers(config.maxWaitingHandlers());
    if (config.uri().startsWith("rediss:")) {
      options.getNetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      config.caCertFile().ifPresent(file ->
          options.getNetClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(file)));
    }
    return options;
  }
}
