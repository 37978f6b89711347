package io.webstore.deploy;

import static io.webstore.deploy.ChartRendering.at;
import static io.webstore.deploy.ChartRendering.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.deploy.ChartRendering.Manifests;
import io.webstore.platform.config.ConfigLoader;
import io.webstore.platform.config.EnvOverrides;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm/webstore: lint, and what the default and a production-like install render. */
@ExtendWith(VertxExtension.class)
class ChartTest {

  static final Path PRODUCTION = Path.of("src/test/resources/helm/production-values.yaml");

  static Manifests defaults;
  static Manifests production;

  @BeforeAll
  static void render() {
    defaults = ChartRendering.render(Map.of());
    production = ChartRendering.render(List.of(PRODUCTION), Map.of());
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = ChartRendering.lint();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void rendersEveryResourceOfAnInstall() {
    assertThat(defaults.documents).extracting(d -> d.get("kind")).containsExactlyInAnyOrder(
        "Deployment", "Service", "ServiceAccount", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget",
        "ConfigMap", "NetworkPolicy");
    assertThat(production.documents).extracting(d -> d.get("kind")).contains(
        "ServiceMonitor", "PersistentVolume", "PersistentVolumeClaim");
  }

  @Test
  void probesWatchTheHealthEndpointsOnTheirPorts() {
    for (Manifests install : List.of(defaults, production)) {
      Map<String, Object> container = install.container();
      assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/health/live");
      assertThat(at(container, "startupProbe.httpGet.port")).isEqualTo("management");
      assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/health/live");
      assertThat(at(container, "livenessProbe.httpGet.port")).isEqualTo("management");
      // readiness on the API port: the listener the Service routes to answers, and 503 while draining
      assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
      assertThat(at(container, "readinessProbe.httpGet.port")).isEqualTo("http");
      assertThat((List<?>) container.get("ports")).extracting(p -> map(p).get("name") + ":" + map(p).get("containerPort"))
          .containsExactly("http:8080", "management:9000");
      Map<String, String> env = install.environment();
      assertThat(env).containsEntry("WEBSTORE_HTTP_PORT", "8080").containsEntry("WEBSTORE_MANAGEMENT_PORT", "9000")
          .containsEntry("WEBSTORE_MANAGEMENT_ENABLED", "true").containsEntry("WEBSTORE_PROFILE", "aws")
          .containsEntry("WEBSTORE_LOG_FORMAT", "json");
      // a startup probe gives the JVM, the engines' first answers and the catalog load time before liveness counts
      int startupBudget = (Integer) at(container, "startupProbe.periodSeconds")
          * (Integer) at(container, "startupProbe.failureThreshold");
      assertThat(startupBudget).isGreaterThanOrEqualTo(60);
    }
  }

  @Test
  void theLoadBalancerChecksTheReadinessEndpointOfPodIps() {
    Map<String, Object> annotations = map(at(production.one("Ingress"), "metadata.annotations"));
    assertThat(annotations)
        .containsEntry("alb.ingress.kubernetes.io/target-type", "ip")
        .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/health/ready")
        .containsEntry("alb.ingress.kubernetes.io/scheme", "internet-facing")
        .containsEntry("alb.ingress.kubernetes.io/certificate-arn",
            "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666")
        .containsEntry("alb.ingress.kubernetes.io/wafv2-acl-arn",
            "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/webstore/0a1b2c3d-1111-2222-3333-444455556666")
        .containsEntry("alb.ingress.kubernetes.io/ssl-redirect", "443");
    assertThat(at(production.one("Ingress"), "spec.ingressClassName")).isEqualTo("alb");
    Map<String, Object> rule = map(((List<?>) at(production.one("Ingress"), "spec.rules")).get(0));
    assertThat(rule.get("host")).isEqualTo("api.shop.example.com");
    assertThat(at(map(((List<?>) at(rule, "http.paths")).get(0)), "backend.service.port.name")).isEqualTo("http");
    // the ALB's idle timeout stays below the store's, so the store never closes a connection the ALB reuses
    String attributes = (String) annotations.get("alb.ingress.kubernetes.io/load-balancer-attributes");
    assertThat(attributes).contains("idle_timeout.timeout_seconds=60");
    assertThat(production.environment()).containsEntry("WEBSTORE_HTTP_IDLE_TIMEOUT_MS", "75000");
  }

  @Test
  void podsRunRestricted() {
    for (Manifests install : List.of(defaults, production)) {
      Map<String, Object> pod = map(at(install.one("Deployment"), "spec.template.spec"));
      assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
      assertThat((Integer) at(pod, "securityContext.runAsUser")).isPositive();
      assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
      assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
      Map<String, Object> container = install.container();
      assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
      assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
      assertThat(at(container, "securityContext.privileged")).isEqualTo(false);
      assertThat(at(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
      assertThat((List<?>) container.get("volumeMounts")).extracting(m -> map(m).get("mountPath")).contains("/tmp");
      assertThat((List<?>) pod.get("volumes")).anySatisfy(v -> {
        assertThat(map(v).get("name")).isEqualTo("tmp");
        assertThat(map(v)).containsKey("emptyDir");
      });
      // requests and limits both set, memory request = limit (the heap is a share of the limit)
      assertThat(at(container, "resources.requests.cpu")).isNotNull();
      assertThat(at(container, "resources.limits.memory")).isEqualTo(at(container, "resources.requests.memory"));
    }
  }

  @Test
  void podsSpreadOverZonesAndSurviveDisruptions() {
    List<?> spread = (List<?>) at(defaults.one("Deployment"), "spec.template.spec.topologySpreadConstraints");
    assertThat(spread).extracting(c -> map(c).get("topologyKey")).contains("topology.kubernetes.io/zone");
    assertThat(at(defaults.one("PodDisruptionBudget"), "spec.maxUnavailable")).isEqualTo(1);
    assertThat((Integer) at(defaults.one("HorizontalPodAutoscaler"), "spec.minReplicas")).isGreaterThanOrEqualTo(2);
    assertThat(at(defaults.one("Deployment"), "spec.replicas")).as("the autoscaler owns the replica count").isNull();
    List<?> metrics = (List<?>) at(production.one("HorizontalPodAutoscaler"), "spec.metrics");
    assertThat(metrics).extracting(m -> map(m).get("type")).containsExactly("Resource", "Pods");
    assertThat(at(map(metrics.get(1)), "pods.metric.name")).isEqualTo("webstore_http_requests_per_second");
  }

  @Test
  void terminationLeavesTimeForTheLoadBalancerAndTheDrain() {
    Map<String, Object> pod = map(at(production.one("Deployment"), "spec.template.spec"));
    Map<String, String> env = production.environment();
    int preStop = (Integer) at(production.container(), "lifecycle.preStop.sleep.seconds");
    int graceMs = Integer.parseInt(env.get("WEBSTORE_HTTP_SHUTDOWN_GRACE_MS"));
    int drainMs = Integer.parseInt(env.get("WEBSTORE_HTTP_DRAIN_TIMEOUT_MS"));
    assertThat(preStop).isEqualTo(15);
    assertThat(graceMs).isEqualTo(5_000);
    assertThat(drainMs).isEqualTo(20_000);
    // the store waits grace + drain, then at most 10 s to close (WebStore.stopOnSignal), after the preStop sleep
    assertThat((Integer) pod.get("terminationGracePeriodSeconds"))
        .isGreaterThanOrEqualTo(preStop + (graceMs + drainMs) / 1000 + 10);
    assertThatThrownBy(() -> ChartRendering.render(Map.of("shutdown.terminationGracePeriodSeconds", "20")))
        .hasMessageContaining("shutdown.terminationGracePeriodSeconds 20 is shorter");
  }

  @Test
  void productionInstallWiresIdentityImageSecretsAndScraping() {
    assertThat(production.container().get("image")).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/webstore"
        + "@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
    assertThat(at(production.one("ServiceAccount"), "metadata.annotations"))
        .isEqualTo(Map.of("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/webstore-prod"));
    assertThat((List<?>) production.container().get("envFrom"))
        .anySatisfy(e -> assertThat(at(e, "secretRef.name")).isEqualTo("webstore-secrets"));
    Map<String, Object> endpoint = map(((List<?>) at(production.one("ServiceMonitor"), "spec.endpoints")).get(0));
    assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/metrics");
    assertThat(at(production.one("ServiceMonitor"), "metadata.labels.release")).isEqualTo("kube-prometheus-stack");
    // EFS for the shared runtime settings: read-only, and the store is pointed at the file on it
    assertThat(at(production.one("PersistentVolume"), "spec.csi.driver")).isEqualTo("efs.csi.aws.com");
    assertThat(at(production.one("PersistentVolume"), "spec.csi.volumeHandle"))
        .isEqualTo("fs-0123456789abcdef0::fsap-0123456789abcdef0");
    assertThat((List<?>) production.container().get("volumeMounts")).anySatisfy(m -> {
      assertThat(map(m)).containsEntry("mountPath", "/mnt/runtime").containsEntry("readOnly", true);
    });
    assertThat(production.environment()).containsEntry("WEBSTORE_RUNTIME_FILE", "/mnt/runtime/runtime.json");
    // the management port is for scrapers only; the API port only from the load balancer's subnets
    List<?> ingress = (List<?>) at(production.one("NetworkPolicy"), "spec.ingress");
    assertThat(ingress).anySatisfy(rule -> {
      assertThat(at(map(((List<?>) map(rule).get("ports")).get(0)), "port")).isEqualTo("management");
      assertThat(at(map(((List<?>) map(rule).get("from")).get(0)), "namespaceSelector")).isNotNull();
    });
    assertThat(ingress).anySatisfy(rule -> {
      assertThat(at(map(((List<?>) map(rule).get("ports")).get(0)), "port")).isEqualTo("http");
      assertThat(at(map(((List<?>) map(rule).get("from")).get(0)), "ipBlock.cidr")).isEqualTo("10.0.0.0/16");
    });
  }

  @Test
  void runtimeSettingsFromValuesAreMountedAsAWatchedFile() {
    Manifests install = ChartRendering.render(Map.of("runtimeSettings.rateLimits.perClientPerSecond", "80"));
    Object json = map(at(install.one("ConfigMap", "-runtime"), "data")).get("runtime.json");
    assertThat(new JsonObject((String) json).getJsonObject("rateLimits").getInteger("perClientPerSecond"))
        .isEqualTo(80);
    assertThat(install.environment()).containsEntry("WEBSTORE_RUNTIME_FILE", "/etc/webstore/runtime/runtime.json");
    // a directory mount (no subPath): the kubelet updates the file in place and the store re-reads it
    assertThat((List<?>) install.container().get("volumeMounts")).anySatisfy(m -> {
      assertThat(map(m)).containsEntry("mountPath", "/etc/webstore/runtime").doesNotContainKey("subPath");
    });
  }

  /** The production-like install's environment, as the store's own loader reads it over conf/: it starts. */
  @Test
  void theStoreLoadsItsConfigFromTheRenderedEnvironment(Vertx vertx, VertxTestContext test) {
    Map<String, String> env = production.environment();
    ConfigLoader.load(vertx, Path.of("conf"), env, null)
        .onComplete(test.succeeding(config -> test.verify(() -> {
          assertThat(config.profile()).isEqualTo("aws");
          assertThat(config.auth().mode()).isEqualTo("cognito");
          assertThat(config.auth().cognitoClientId()).contains("4example0client0id0abcdefg");
          assertThat(config.http().port()).isEqualTo(8080);
          assertThat(config.http().shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
          assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofSeconds(20));
          assertThat(config.http().corsOrigins()).containsExactly("https://shop.example.com", "https://m.shop.example.com");
          assertThat(config.aws().region()).isEqualTo("eu-west-1");
          assertThat(config.aws().accessKeyId()).as("credentials come from IRSA, never from values").isEmpty();
          assertThat(config.redis().uri()).startsWith("rediss://");
          assertThat(config.dynamo().createTables()).isFalse();
          assertThat(config.runtime().file()).isEqualTo("/mnt/runtime/runtime.json");
          assertThat(config.section("management").integer("port", 0, 65535)).isEqualTo(9000);
          assertThat(config.section("startup").integer("deadlineMs", 0, Integer.MAX_VALUE)).isEqualTo(180_000);
          test.completeNow();
        })));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "replicaCount | three | replicaCount",
      "image.digest | latest | image.digest",
      "image.pullPolicy | Sometimes | image.pullPolicy",
      "ports.http | 70000 | ports.http",
      "config.http.port | 8081 | config.http",
      "config.management.enabled | false | config.management",
      "config.Aws.region | eu-west-1 | config",
      "config.aws.endpoints[0].dynamodb | http://x | config.aws.endpoints",
      "probes.readiness.periodSeconds | 0 | probes.readiness.periodSeconds",
      "shutdown.drainSeconds | -1 | shutdown.drainSeconds",
      "topologySpread.whenUnsatisfiable | Sometimes | topologySpread.whenUnsatisfiable",
      "serviceAccount.roleArn | webstore-role | serviceAccount.roleArn",
      "ingress.scheme | public | ingress.scheme",
      "ingress.certificateArn | my-cert | ingress.certificateArn",
      "autoscaling.targetCPUUtilizationPercentage | 150 | autoscaling.targetCPUUtilizationPercentage",
      "runtimeEfs.fileSystemId | efs-1 | runtimeEfs.fileSystemId",
      "replicas | 3 | replicas",
      "logFormat | xml | logFormat",
  })
  void theSchemaRejectsBadValues(String key, String value, String named) {
    assertThatThrownBy(() -> ChartRendering.render(Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(named);
  }

  @Test
  void secretsStayOutOfTheConfigMap() {
    Map<String, Object> data = map(at(production.one("ConfigMap", "-env"), "data"));
    assertThat(data.keySet()).noneMatch(name -> name.contains("PASSWORD") || name.contains("SECRET"));
    assertThat(EnvOverrides.nest(production.environment(), "WEBSTORE_").getJsonObject("admin")).isNull();
  }
}
