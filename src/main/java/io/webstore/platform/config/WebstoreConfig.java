package io.webstore.platform.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole start-up configuration, read once and validated. Every key is documented in README.md; a bad or missing
 * value throws {@link ConfigException} naming it.
 */
public record WebstoreConfig(
    String profile,
    Http http,
    Aws aws,
    Dynamo dynamo,
    RedisConfig redis,
    Kafka kafka,
    Sqs sqs,
    Auth auth,
    Admin admin,
    Runtime runtime,
    Health health,
    Demo demo,
    FeatureToggles features,
    JsonObject raw) {

  /** HTTP server settings. */
  public record Http(String host, int port, int instances, int bodyLimitBytes, Duration requestTimeout,
      Duration drainTimeout, Duration shutdownGrace, List<String> corsOrigins, boolean accessLog) {}

  /** AWS SDK client settings; endpoints are set only for dev engines. */
  public record Aws(String region, Optional<String> accessKeyId, Optional<String> secretAccessKey,
      Optional<URI> dynamodbEndpoint, Optional<URI> sqsEndpoint, Optional<URI> eventbridgeEndpoint,
      Optional<URI> cognitoEndpoint, Duration apiCallTimeout, Duration attemptTimeout, Duration connectTimeout,
      int maxConnections, int maxAttempts, String httpTransport) {
    @Override
    public String toString() { // credentials never reach a log
      return "Aws[region=" + region + ", dynamodbEndpoint=" + dynamodbEndpoint + ", sqsEndpoint=" + sqsEndpoint
          + ", apiCallTimeout=" + apiCallTimeout + ", attemptTimeout=" + attemptTimeout + "]";
    }
  }

  /** DynamoDB tables: {@code tablePrefix + name}; {@code createTables} only in dev. */
  public record Dynamo(String tablePrefix, boolean createTables) {
    public String table(String name) {
      return tablePrefix + name;
    }
  }

  /** Redis connection (ElastiCache in AWS). */
  /**
   * @param uri {@code redis://} or, over TLS (ElastiCache with in-transit encryption), {@code rediss://}; the server's
   *     certificate is then checked for the URI's host name
   * @param caCertFile a PEM file of a certificate authority to trust besides the JVM's own (a private CA, tests)
   */
  public record RedisConfig(String uri, int poolSize, int maxWaitingHandlers, Duration commandTimeout,
      Optional<String> caCertFile) {}

  /** Kafka (MSK in AWS). */
  public record Kafka(String bootstrapServers, boolean createTopics) {}

  /** SQS queues. */
  public record Sqs(String orderQueue, boolean createQueues) {}

  /**
   * Token verification and, in {@code local} mode, issuing (access tokens, and refresh tokens that live {@code
   * refreshTokenTtl}). In {@code cognito} mode: the user pool's key set, fetched again on a token naming an unknown key
   * (at most once per {@code jwksMinRefreshInterval}) and every {@code jwksRefreshPeriod}; the app client and its
   * secret, if it has one; and whether sign-ups are confirmed at once (dev only).
   */
  public record Auth(String mode, String issuer, String audience, Duration tokenTtl, Optional<URI> jwksUrl,
      Optional<String> cognitoUserPoolId, Optional<String> cognitoClientId, Duration jwksTimeout,
      Optional<String> cognitoClientSecret, boolean cognitoAutoConfirm, Duration jwksRefreshPeriod,
      Duration jwksMinRefreshInterval, Duration refreshTokenTtl) {
    public boolean local() {
      return "local".equals(mode);
    }

    @Override
    public String toString() { // the client secret never reaches a log
      return "Auth[mode=" + mode + ", issuer=" + issuer + ", jwksUrl=" + jwksUrl + ", cognitoClientId="
          + cognitoClientId + ", cognitoClientSecret=" + (cognitoClientSecret.isPresent() ? "***" : "unset") + "]";
    }
  }

  /** The dev admin account; the password is a secret and never logged. */
  public record Admin(String email, Optional<String> password) {
    @Override
    public String toString() {
      return "Admin[email=" + email + ", password=" + (password.isPresent() ? "***" : "unset") + "]";
    }
  }

  /** The watched file of runtime-changeable settings. */
  public record Runtime(String file, Duration scanPeriod) {}

  /** Readiness checks: each check's timeout, and how long one round of checks answers every caller. */
  public record Health(Duration checkTimeout, Duration cacheTtl) {}

  /** Demo data seeding (dev only). */
  public record Demo(boolean enabled) {}

  public static WebstoreConfig from(JsonObject root) {
    String profile = root.getString("profile", "dev");

    ConfigSection http = new ConfigSection(root, "http");
    Http httpConfig = new Http(
        http.string("host"),
        http.integer("port", 0, 65535),
        http.integer("instances", 0, 256),
        http.integer("bodyLimitBytes", 1024, 64 * 1024 * 1024),
        Duration.ofMillis(http.integer("requestTimeoutMs", 100, 600_000)),
        Duration.ofMillis(http.integer("drainTimeoutMs", 0, 600_000)),
        Duration.ofMillis(http.integer("shutdownGraceMs", 0, 600_000)),
        http.stringList("corsOrigins"),
        http.bool("accessLog"));

    ConfigSection aws = new ConfigSection(root, "aws");
    Aws awsConfig = new Aws(
        aws.string("region"),
        aws.optionalString("accessKeyId"),
        aws.optionalString("secretAccessKey"),
        aws.optionalUri("dynamodbEndpoint"),
        aws.optionalUri("sqsEndpoint"),
        aws.optionalUri("eventbridgeEndpoint"),
        aws.optionalUri("cognitoEndpoint"),
        Duration.ofMillis(aws.integer("apiCallTimeoutMs", 10, 120_000)),
        Duration.ofMillis(aws.integer("attemptTimeoutMs", 10, 120_000)),
        Duration.ofMillis(aws.integer("connectTimeoutMs", 10, 60_000)),
        aws.integer("maxConnections", 1, 10_000),
        aws.integer("maxAttempts", 1, 10),
        aws.oneOfOrDefault("httpTransport", "netty", "netty", "vertx"));

    ConfigSection dynamo = new ConfigSection(root, "dynamo");
    Dynamo dynamoConfig = new Dynamo(dynamo.string("tablePrefix"), dynamo.bool("createTables"));

    ConfigSection redis = new ConfigSection(root, "redis");
    RedisConfig redisConfig = new RedisConfig(
        redis.string("uri"),
        redis.integer("poolSize", 1, 1024),
        redis.integer("maxWaitingHandlers", 1, 1_000_000),
        Duration.ofMillis(redis.integer("commandTimeoutMs", 10, 60_000)),
        redis.optionalString("caCertFile"));

    ConfigSection kafka = new ConfigSection(root, "kafka");
    Kafka kafkaConfig = new Kafka(kafka.string("bootstrapServers"), kafka.bool("createTopics"));

    ConfigSection sqs = new ConfigSection(root, "sqs");
    Sqs sqsConfig = new Sqs(sqs.string("orderQueue"), sqs.bool("createQueues"));

    ConfigSection auth = new ConfigSection(root, "auth");
    Auth authConfig = new Auth(
        auth.oneOf("mode", "local", "cognito"),
        auth.string("issuer"),
        auth.string("audience"),
        Duration.ofSeconds(auth.integer("tokenTtlSeconds", 60, 86_400)),
        auth.optionalUri("jwksUrl"),
        auth.optionalString("cognitoUserPoolId"),
        auth.optionalString("cognitoClientId"),
        Duration.ofMillis(auth.integer("jwksTimeoutMs", 100, 60_000)),
        auth.optionalString("cognitoClientSecret"),
        auth.boolOrDefault("cognitoAutoConfirm", false),
        Duration.ofSeconds(auth.integerOrDefault("jwksRefreshPeriodSeconds", 3600, 1, 86_400)),
        Duration.ofMillis(auth.integerOrDefault("jwksMinRefreshIntervalMs", 30_000, 0, 3_600_000)),
        Duration.ofSeconds(auth.integerOrDefault("refreshTokenTtlSeconds", 30 * 86_400, 60, 365 * 86_400)));
    if (!authConfig.local()) {
      if (authConfig.jwksUrl().isEmpty()) {
        throw new ConfigException("auth.jwksUrl is missing (required when auth.mode is cognito); set it in conf/ or "
            + auth.envName("jwksUrl"));
      }
      if (authConfig.cognitoClientId().isEmpty()) {
        throw new ConfigException("auth.cognitoClientId is missing (required when auth.mode is cognito); set it in "
            + "conf/ or " + auth.envName("cognitoClientId"));
      }
    }

    ConfigSection admin = new ConfigSection(root, "admin");
    Admin adminConfig = new Admin(admin.string("email"), admin.optionalString("password"));

    ConfigSection runtime = new ConfigSection(root, "runtime");
    Runtime runtimeConfig = new Runtime(runtime.string("file"),
        Duration.ofMillis(runtime.integer("scanPeriodMs", 100, 3_600_000)));

    ConfigSection health = new ConfigSection(root, "health");
    Health healthConfig = new Health(Duration.ofMillis(health.integer("checkTimeoutMs", 10, 60_000)),
        Duration.ofMillis(health.integerOrDefault("cacheTtlMs", 1000, 0, 60_000)));

    ConfigSection demo = new ConfigSection(root, "demo");
    Demo demoConfig = new Demo(demo.bool("enabled"));

    return new WebstoreConfig(profile, httpConfig, awsConfig, dynamoConfig, redisConfig, kafkaConfig, sqsConfig,
        authConfig, adminConfig, runtimeConfig, healthConfig, demoConfig, FeatureToggles.from(root),
        root.copy());
  }

  @Override
  public String toString() { // the raw tree may hold secrets: print only the validated, masked records
    return "WebstoreConfig[profile=" + profile + ", http=" + http + ", aws=" + aws + ", dynamo=" + dynamo
        + ", auth=" + auth.mode() + ", admin=" + admin + ", features=" + features + "]";
  }

  /** A feature's own section (for example {@code inventory}), read with the same validation and error messages. */
  public ConfigSection section(String name) {
    return new ConfigSection(raw, name);
  }

  /** Number of HTTP verticle instances: the configured count, or one per core when 0. */
  public int httpInstances() {
    return http.instances() > 0 ? http.instances() : java.lang.Runtime.getRuntime().availableProcessors();
  }
}
