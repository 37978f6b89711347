package io.webstore;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.webstore.http.AccessLogAppender;
import io.webstore.http.HttpVerticle;
import io.webstore.http.ManagementSettings;
import io.webstore.http.ManagementVerticle;
import io.webstore.platform.auth.AuthKeys;
import io.webstore.platform.aws.AwsClients;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.Provisioner;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.BootClock;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.bootstrap.StartupDeadline;
import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigLoader;
import io.webstore.platform.config.RedisConnections;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.health.Readiness;
import io.webstore.platform.metrics.EventLoopHealth;
import io.webstore.platform.metrics.HttpServerMeters;
import io.webstore.platform.metrics.MeterCache;
import io.webstore.platform.metrics.RouteLatency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;

/**
 * The store's process: loads config, builds one Vert.x with Micrometer metrics and the shared clients, provisions dev
 * resources, deploys the features and the HTTP verticles, and reports ready. {@link #stop()} drains in-flight requests
 * before closing everything. {@link #main} adds SIGTERM/SIGINT handling and exits 0 after a clean drain.
 */
public final class WebStore {

  private static final Logger log = LoggerFactory.getLogger(WebStore.class);

  /** Kafka topics the store reads or writes (created in dev). */
  static final List<String> TOPICS = List.of("pim.products", "supply.inventory", "supply.order-status",
      "pim.products.dlq", "supply.inventory.dlq", "supply.order-status.dlq", "webstore.events");

  private static final long CLOSE_TIMEOUT_MS = 2_000;

  private final Services services;
  private final KafkaAdminClient kafkaAdmin;
  private final List<String> featureDeployments;
  private final String httpDeployment;
  private final int port;
  private final Management management;
  private final AtomicBoolean stopping = new AtomicBoolean();

  private WebStore(Services services, KafkaAdminClient kafkaAdmin, List<String> featureDeployments,
      String httpDeployment, int port, Management management) {
    this.services = services;
    this.kafkaAdmin = kafkaAdmin;
    this.featureDeployments = featureDeployments;
    this.httpDeployment = httpDeployment;
    this.port = port;
    this.management = management;
  }

  public static void main(String[] args) {
    start(Path.of("conf"), System.getenv(), new JsonObject(), Features.all())
        .onSuccess(WebStore::stopOnSignal)
        .onFailure(err -> {
          log.error("webstore.start.failed {}", err.getMessage());
          System.exit(1);
        });
  }

  /**
   * Starts the store. {@code overrides} are config values above every other layer (the dev launcher's engine
   * endpoints, tests).
   */
  public static Future<WebStore> start(Path confDir, Map<String, String> env, JsonObject overrides,
      List<Feature> features) {
    long started = System.nanoTime();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    meters.config().meterFilter(RouteLatency.histograms());
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            // counted per message by address on every request's hop to a feature, and read by nothing
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            // the HTTP servers' request meters are recorded from a table per route (HttpServerMeters) instead of
            // tagged and looked up for every request here
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)))
        .withMetrics(new MicrometerMetricsFactory(meters))
        .build();
    EventLoopHealth.install(vertx, meters);
    FunctionCounter.builder("webstore.http.access_log.dropped", meters, any -> AccessLogAppender.droppedInProcess())
        .description("Access-log lines dropped because standard output could not keep up").register(meters);
    // the outcome is handed over on a promise bound to no context: after a failure Vert.x is closed, and nothing may
    // be dispatched to it any more
    Promise<WebStore> outcome = Promise.promise();
    ConfigLoader.load(vertx, confDir, env, overrides)
        .compose(config -> {
          WebClient web = WebClient.create(vertx, new WebClientOptions()
              .setConnectTimeout((int) config.aws().connectTimeout().toMillis()));
          // building SDK clients and the Kafka admin client costs seconds of class loading and CPU once: a worker
          // thread, not the event loop; unordered, so that it runs beside the signing key's generation (local auth:
          // a second worker thread, up to a second of CPU) instead of before it
          Future<Clients> clients = vertx.executeBlocking(() -> Clients.build(vertx, config, web), false);
          // cognito mode: a key set that cannot be fetched now does not stop the start; readiness reports it
          Future<AuthKeys> keys = AuthKeys.load(vertx, config.auth(), web, meters);
          return Future.join(clients, keys)
              .recover(err -> {
                web.close();
                if (!clients.succeeded()) {
                  return Future.failedFuture(err);
                }
                clients.result().kafkaAdmin().close(CLOSE_TIMEOUT_MS);
                clients.result().redis().close();
                return vertx.executeBlocking(() -> { // the SDK's close waits for its threads
                  clients.result().aws().close();
                  return null;
                }).transform(closed -> Future.failedFuture(err));
              })
              .compose(both -> boot(vertx, meters, clients.result(), keys.result(), features, started));
        })
        .onComplete(result -> {
          if (result.succeeded()) {
            outcome.complete(result.result());
            return;
          }
          Throwable err = result.cause();
          log.error("webstore.start.failed {}", err.toString(), err instanceof ConfigException ? null : err);
          outcome.fail(err);
          vertx.close();
        });
    return outcome.future();
  }

  /** The process-wide clients, built once. */
  private record Clients(WebstoreConfig config, AwsClients aws, Redis redis, RedisAPI redisApi, WebClient web,
      KafkaAdminClient kafkaAdmin) {

    static Clients build(Vertx vertx, WebstoreConfig config, WebClient web) {
      log.info("webstore.boot step=clients profile={} {}", config.profile(), BootClock.stamp());
      Redis redis = Redis.createClient(vertx, RedisConnections.options(config.redis()));
      Map<String, String> kafkaProps = new HashMap<>();
      kafkaProps.put("bootstrap.servers", config.kafka().bootstrapServers());
      kafkaProps.put("request.timeout.ms", String.valueOf(config.health().checkTimeout().toMillis()));
      kafkaProps.put("default.api.timeout.ms", String.valueOf(config.health().checkTimeout().toMillis() * 3));
      AwsClients aws = new AwsClients(vertx, config.aws());
      if (!config.auth().local()) {
        aws.cognito(); // built here, on this worker thread, not on the event loop of its first caller
      }
      return new Clients(config, aws, redis, RedisAPI.api(redis), web, KafkaAdminClient.create(vertx, kafkaProps));
    }
  }

  private static Future<WebStore> boot(Vertx vertx, PrometheusMeterRegistry meters, Clients clients,
      AuthKeys authKeys, List<Feature> features, long started) {
    WebstoreConfig config = clients.config();
    AwsClients aws = clients.aws();
    Redis redis = clients.redis();
    RedisAPI redisApi = clients.redisApi();
    WebClient web = clients.web();
    KafkaAdminClient kafkaAdmin = clients.kafkaAdmin();
    Readiness readiness = new Readiness(vertx, config.health().checkTimeout(), config.health().cacheTtl(), meters);
    Provisioner provisioner = new Provisioner(vertx, aws, config);
    List<TableSpec> tables = features.stream().flatMap(feature -> feature.tables().stream()).toList();
    List<Feature> enabled = features.stream().filter(feature -> config.features().enabled(feature.name())).toList();

    StartupDeadline startup = new StartupDeadline(vertx, StartupDeadline.Settings.from(config), meters);

    Services services = new Services(vertx, config, meters, aws, redis, redisApi, web, authKeys, readiness,
        startup);
    registerChecks(services, provisioner, tables, kafkaAdmin);
    Future<Management> management = deployManagement(services);
    // the management server starts and the contract is parsed (once, for every HTTP verticle) beside the
    // provisioning, which mostly waits for the engines' first answers
    Future<HttpVerticle.Contract> contract = HttpVerticle.loadContract(vertx);
    log.info("webstore.boot step=provision deadline_ms={} {}", startup.settings().deadline().toMillis(),
        BootClock.stamp());
    Future<Void> provisioned = provision(services, provisioner, tables, kafkaAdmin);
    return Future.all(management, provisioned)
        .compose(done -> {
          log.info("webstore.boot step=features count={} {}", enabled.size(), BootClock.stamp());
          return deployAll(enabled, services);
        })
        .compose(deployments -> Future.all(enabled.stream().map(f -> f.afterDeploy(services)).toList())
            .map(done -> deployments))
        .onSuccess(deployments -> log.info("webstore.boot step=after-deploy {}", BootClock.stamp()))
        .compose(deployments -> contract.map(deployments))
        .compose(deployments -> {
          log.info("webstore.boot step=http instances={} {}", config.httpInstances(), BootClock.stamp());
          return deployHttp(services, features, contract.result())
              .map(http -> new WebStore(services, kafkaAdmin, deployments, http.deploymentId(), http.port(),
                  management.result()));
        })
        .onSuccess(store -> {
          readiness.state(Readiness.State.READY);
          log.info("webstore.ready profile={} port={} management_port={} http_instances={} boot_ms={} "
                  + "since_jvm_start_ms={} cpu_ms={}", config.profile(), store.port,
              store.managementPort().isPresent() ? store.managementPort().getAsInt() : "off",
              config.httpInstances(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
              BootClock.sinceJvmStartMs(), BootClock.processCpuMs());
        })
        .recover(err -> {
          kafkaAdmin.close(CLOSE_TIMEOUT_MS);
          redis.close();
          return vertx.executeBlocking(() -> { // the SDK's close waits for its threads
            aws.close();
            return null;
          }).transform(closed -> Future.failedFuture(err));
        });
  }

  private static void registerChecks(Services services, Provisioner provisioner, List<TableSpec> tables,
      KafkaAdminClient kafkaAdmin) {
    Readiness readiness = services.readiness();
    readiness.register("dynamodb", () -> provisioner.missingTables(tables).map(missing -> {
      if (!missing.isEmpty()) {
        throw new IllegalStateException("missing tables: " + String.join(", ", missing));
      }
      return missing;
    }));
    readiness.register("redis", () -> services.redisApi().ping(List.of()));
    if (!services.config().auth().local()) {
      readiness.register("jwks", services.authKeys()::ready);
    }
    // we only publish to these (through the outbox): when one is down, orders are still taken, so it is a detail
    readiness.registerNonCritical("sqs", () -> AwsFutures.on(services.vertx(), services.aws().sqs()
        .getQueueUrl(GetQueueUrlRequest.builder().queueName(services.config().sqs().orderQueue()).build())));
    readiness.registerNonCritical("kafka", kafkaAdmin::describeCluster);
  }

  /**
   * Waits for every engine start-up needs and creates what config says to create, each engine on its own, retried
   * until the start-up deadline: a slow engine delays the start, and only a missing one ends it, by name.
   */
  private static Future<Void> provision(Services services, Provisioner provisioner, List<TableSpec> tables,
      KafkaAdminClient kafkaAdmin) {
    WebstoreConfig config = services.config();
    StartupDeadline startup = services.startup();
    List<Future<?>> steps = new ArrayList<>();
    steps.add(provisioned("redis", startup.retry("redis", "connect", () -> services.redisApi().ping(List.of()))));
    if (config.dynamo().createTables()) {
      steps.add(provisioned("dynamodb",
          startup.retry("dynamodb", "provision", () -> provisioner.createTables(tables))));
    }
    if (config.sqs().createQueues()) {
      steps.add(provisioned("sqs", startup.retry("sqs", "provision", provisioner::createQueues)));
    }
    if (config.kafka().createTopics()) {
      steps.add(provisioned("kafka", startup.retry("kafka", "provision", () -> createTopics(kafkaAdmin))));
    }
    return Future.all(steps).mapEmpty();
  }

  private static Future<Void> createTopics(KafkaAdminClient kafkaAdmin) {
    return kafkaAdmin.listTopics().compose(existing -> {
      List<NewTopic> missing = TOPICS.stream().filter(topic -> !existing.contains(topic))
          .map(topic -> new NewTopic(topic, 3, (short) 1)).toList();
      return missing.isEmpty() ? Future.<Void>succeededFuture() : kafkaAdmin.createTopics(missing)
          .recover(err -> err instanceof TopicExistsException // another instance, or our own lost reply
              ? Future.succeededFuture()
              : Future.failedFuture(err));
    });
  }

  /** {@code step}, logged with its boot stamp when it has succeeded. */
  private static <T> Future<T> provisioned(String engine, Future<T> step) {
    return step.onSuccess(done -> log.info("webstore.boot step=provisioned engine={} {}", engine, BootClock.stamp()));
  }

  /**
   * Deploys the features step by step ({@link Features#deploySteps}): a step's features at once, each step after
   * the one before has fully deployed. A failed step fails the start once all of its features have settled.
   */
  private static Future<List<String>> deployAll(List<Feature> features, Services services) {
    List<String> ids = new CopyOnWriteArrayList<>();
    Future<?> chain = Future.succeededFuture();
    for (List<Feature> step : Features.deploySteps(features)) {
      chain = chain.compose(previous -> Future.join(step.stream().map(feature -> feature.deploy(services)
          .onSuccess(id -> {
            log.info("webstore.boot step=feature name={} {}", feature.name(), BootClock.stamp());
            if (id instanceof String deploymentId) {
              ids.add(deploymentId);
            } else if (id instanceof List<?> many) {
              many.forEach(one -> ids.add(String.valueOf(one)));
            }
          })).toList()));
    }
    return chain.map(done -> List.copyOf(ids));
  }

  private record HttpDeployment(String deploymentId, int port) {}

  /** The management server's deployment, when {@code management.enabled}. */
  private record Management(Optional<String> deploymentId, OptionalInt port) {
    static final Management OFF = new Management(Optional.empty(), OptionalInt.empty());
  }

  private static Future<Management> deployManagement(Services services) {
    ManagementSettings settings = ManagementSettings.from(services.config());
    if (!settings.enabled()) {
      log.info("webstore.boot step=management enabled=false");
      return Future.succeededFuture(Management.OFF);
    }
    ManagementVerticle verticle = new ManagementVerticle(services, settings);
    return services.vertx().deployVerticle(verticle)
        .map(id -> new Management(Optional.of(id), OptionalInt.of(verticle.port())))
        .onSuccess(deployed -> log.info("webstore.boot step=management port={} {}", deployed.port().getAsInt(),
            BootClock.stamp()));
  }

  private static Future<HttpDeployment> deployHttp(Services services, List<Feature> features,
      HttpVerticle.Contract contract) {
    List<HttpVerticle> instances = new CopyOnWriteArrayList<>();
    AtomicInteger openConnections = HttpServerMeters.openConnections(services.meters());
    return services.vertx().deployVerticle(() -> {
          HttpVerticle verticle = new HttpVerticle(services, features, contract, openConnections);
          instances.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(services.config().httpInstances()))
        .map(id -> new HttpDeployment(id, instances.get(0).port()));
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return port;
  }

  /** The port of the management server ({@code /metrics}, readiness details); empty when it is off. */
  public OptionalInt managementPort() {
    return management.port();
  }

  public Vertx vertx() {
    return services.vertx();
  }

  public Services services() {
    return services;
  }

  /**
   * Graceful stop: report not-ready, stop accepting and drain in-flight requests (bounded by {@code
   * http.drainTimeoutMs}), undeploy the features, close the clients and Vert.x. Safe to call twice.
   */
  public Future<Void> stop() {
    if (!stopping.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Vertx vertx = services.vertx();
    services.readiness().state(Readiness.State.DRAINING);
    long graceMs = services.config().http().shutdownGrace().toMillis();
    log.info("webstore.stopping grace_ms={} drain_timeout_ms={}", graceMs,
        services.config().http().drainTimeout().toMillis());
    // completed off the event loop: nothing can be dispatched to Vert.x once it is closed
    Promise<Void> stopped = Promise.promise();
    // during the grace the listener stays open and readiness answers 503, so a load balancer sees the store leave
    // and stops sending before the listener closes; then in-flight requests drain
    Future<?> graceOver = graceMs > 0 ? vertx.timer(graceMs, TimeUnit.MILLISECONDS) : Future.succeededFuture();
    graceOver.compose(v -> vertx.undeploy(httpDeployment))
        .andThen(done -> log.info("webstore.stop step=http drained={}", done.succeeded()))
        .eventually(() -> Future.all(featureDeployments.stream().map(vertx::undeploy).toList()))
        .andThen(done -> log.info("webstore.stop step=features"))
        .eventually(() -> management.deploymentId().map(vertx::undeploy).orElse(Future.succeededFuture()))
        .eventually(() -> kafkaAdmin.close(CLOSE_TIMEOUT_MS))
        .eventually(() -> {
          services.redis().close();
          services.web().close();
          // the SDK's close waits for its Netty threads to end: a worker thread, not the event loop
          return vertx.executeBlocking(() -> {
            services.aws().close();
            return null;
          });
        })
        .onComplete(clientsClosed -> vertx.close().toCompletionStage().whenComplete((closed, err) -> {
          MeterCache.forget(services.meters());
          log.info("webstore.stopped");
          stopped.complete();
        }));
    return stopped.future();
  }

  private static void stopOnSignal(WebStore store) {
    Runnable stopAndExit = () -> {
      try {
        store.stop().toCompletionStage().toCompletableFuture()
            .get(store.services.config().http().drainTimeout().toMillis()
                + store.services.config().http().shutdownGrace().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        System.exit(0);
      } catch (Exception e) {
        log.error("webstore.stop.failed {}", e.toString());
        System.exit(1);
      }
    };
    for (String name : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(stopAndExit, "webstore-stop").start());
    }
  }
}
