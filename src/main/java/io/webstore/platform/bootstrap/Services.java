package io.webstore.platform.bootstrap;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.webstore.platform.auth.AuthKeys;
import io.webstore.platform.aws.AwsClients;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.health.Readiness;

/**
 * What the process builds once at start and every verticle shares: config, clients (one of each per process) and
 * meters, and the start-up deadline that start-up work against the engines retries within. Feature code receives the parts it needs from here; nothing reaches into another feature's store.
 */
public record Services(
    Vertx vertx,
    WebstoreConfig config,
    PrometheusMeterRegistry meters,
    AwsClients aws,
    Redis redis,
    RedisAPI redisApi,
    WebClient web,
    AuthKeys authKeys,
    Readiness readiness,
    StartupDeadline startup) {}
