package io.webstore.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.webstore.http.ManagementSettings;
import io.webstore.platform.config.ConfigLoader;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.testing.Engines;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Fargate task's environment, with what only AWS knows (the user pool's id, the cache's endpoint, the token)
 * filled with sample values, is a valid {@code aws} config that points the store at the template's own resources,
 * and the load balancer checks the ports and the path the store serves.
 */
@ExtendWith(VertxExtension.class)
class StackEnvironmentTest {

  private static final Map<String, String> PARAMETERS = Map.of("EnvironmentName", "stage",
      "QueueNamePrefix", "webstore-stage-", "KafkaBootstrapServers", "b-1.example:9092,b-2.example:9092");
  private static final Map<String, String> AWS_KNOWS = Map.of(
      "AWS::Region", "eu-west-1",
      "UserPool", "eu-west-1_Example",
      "UserPoolClient", "exampleclientid",
      "EventBus", "webstore-stage",
      "CacheAuthToken", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:token",
      "Cache.PrimaryEndPoint.Address", "master.webstore-stage.abc123.euw1.cache.amazonaws.com",
      "Cache.PrimaryEndPoint.Port", "6379");

  static Vertx vertx;
  static StackTemplate template;
  static StackTemplate.Evaluator evaluate;
  static Map<String, Object> container;

  @BeforeAll
  static void load(Vertx classVertx) {
    vertx = classVertx;
    template = StackTemplate.root();
    evaluate = template.evaluator(PARAMETERS, name -> {
      String value = AWS_KNOWS.get(name);
      if (value == null) {
        throw new AssertionError("the store's environment depends on " + name + ": give the test a sample value");
      }
      return value;
    });
    Map<String, Object> task = template.resourcesOfType("AWS::ECS::TaskDefinition").get("TaskDefinition");
    List<Map<String, Object>> containers = StackTemplate.cast(task.get("ContainerDefinitions"));
    container = containers.stream().filter(definition -> "webstore".equals(definition.get("Name"))).findFirst()
        .orElseThrow();
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    List<Object> variables = StackTemplate.cast(container.get("Environment"));
    for (Object entry : variables) {
      Map<String, Object> variable = StackTemplate.cast(entry);
      if (variable.containsKey("Fn::If")) { // a variable only some stacks set
        Optional<Object> chosen = choose(variable);
        if (chosen.isEmpty()) {
          continue;
        }
        variable = StackTemplate.cast(chosen.get());
      }
      env.put((String) variable.get("Name"), evaluate.string(variable.get("Value")));
    }
    List<Map<String, Object>> secrets = StackTemplate.cast(container.get("Secrets"));
    for (Map<String, Object> secret : secrets) {
      Map<String, Object> ref = StackTemplate.cast(secret.get("ValueFrom"));
      Map<String, Object> source = StackTemplate.cast(template.resource((String) ref.get("Ref")).get("Properties"));
      if (source.containsKey("GenerateSecretString")) { // a value Secrets Manager makes up at deploy time
        env.put((String) secret.get("Name"), "sample-generated-secret");
        continue;
      }
      // the secret's value with the cache token CloudFormation resolves at deploy time
      env.put((String) secret.get("Name"), evaluate.string(source.get("SecretString"))
          .replaceAll("\\{\\{resolve:secretsmanager:[^}]*}}", "sampletoken"));
    }
    return env;
  }

  private static Optional<Object> choose(Map<String, Object> conditional) {
    List<Object> choice = StackTemplate.cast(conditional.get("Fn::If"));
    Object branch = evaluate.condition((String) choice.get(0)) ? choice.get(1) : choice.get(2);
    return Map.of("Ref", "AWS::NoValue").equals(branch) ? Optional.empty() : Optional.of(branch);
  }

  @Test
  void theTasksEnvironmentIsAValidAwsConfigPointingAtTheTemplatesResources() {
    Map<String, String> env = environment();
    assertThat(env).containsEntry("WEBSTORE_PROFILE", "aws");
    WebstoreConfig config = Engines.await(ConfigLoader.load(vertx, Path.of("conf"), env, new JsonObject()));

    assertThat(config.profile()).isEqualTo("aws");
    assertThat(config.aws().region()).isEqualTo("eu-west-1");
    assertThat(config.aws().accessKeyId()).as("credentials come from the task role").isEmpty();
    assertThat(config.dynamo().createTables()).isFalse();
    Map<String, Object> orders = StackTemplate.cast(template.resource("OrdersTable").get("Properties"));
    assertThat(config.dynamo().table("orders")).isEqualTo(evaluate.string(orders.get("TableName")));
    Map<String, Object> queue = StackTemplate.cast(template.resource("OrdersQueue").get("Properties"));
    assertThat(config.sqs().orderQueue()).isEqualTo(evaluate.string(queue.get("QueueName")))
        .isEqualTo("webstore-stage-orders.fifo");
    assertThat(config.sqs().createQueues()).isFalse();
    assertThat(config.section("events").optionalString("statusQueue")).contains("webstore-stage-order-status.fifo");
    assertThat(config.section("eventbridge").optionalString("busName")).contains("webstore-stage");
    assertThat(config.section("eventbridge").optionalString("inboundQueue")).contains("webstore-stage-inbound-events");
    assertThat(config.kafka().bootstrapServers()).isEqualTo("b-1.example:9092,b-2.example:9092");
    assertThat(config.kafka().createTopics()).isFalse();
    assertThat(config.redis().uri()).isEqualTo(
        "rediss://:sampletoken@master.webstore-stage.abc123.euw1.cache.amazonaws.com:6379");

    assertThat(config.auth().mode()).isEqualTo("cognito");
    assertThat(config.auth().issuer()).isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example");
    assertThat(config.auth().jwksUrl()).hasValueSatisfying(url -> assertThat(url.toString())
        .isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example/.well-known/jwks.json"));
    assertThat(config.auth().cognitoUserPoolId()).contains("eu-west-1_Example");
    assertThat(config.auth().cognitoClientId()).contains("exampleclientid");
    assertThat(config.section("http").optionalString("trustedProxyHeader")).contains("X-Forwarded-For");
    assertThat(config.section("fraud").optionalString("cardFingerprintKey")).as("a secret, never a parameter")
        .contains("sample-generated-secret");
  }

  @Test
  void withoutBootstrapServersTheStoreKeepsItsKafkaDefault() {
    StackTemplate.Evaluator firstDeploy = template.evaluator(Map.of("EnvironmentName", "stage"), AWS_KNOWS::get);
    List<Object> variables = StackTemplate.cast(container.get("Environment"));
    List<Object> conditional = variables.stream()
        .filter(entry -> StackTemplate.<Map<String, Object>>cast(entry).containsKey("Fn::If")).toList();
    assertThat(conditional).hasSize(1);
    List<Object> choice = StackTemplate.cast(StackTemplate.<Map<String, Object>>cast(conditional.get(0)).get("Fn::If"));
    assertThat(firstDeploy.condition((String) choice.get(0))).isFalse();
    assertThat(StackTemplate.<Map<String, Object>>cast(choice.get(1)).get("Name"))
        .isEqualTo("WEBSTORE_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void theLoadBalancerSendsTheApiPortAndChecksReadinessOnTheManagementPort() {
    WebstoreConfig config = Engines.await(ConfigLoader.load(vertx, Path.of("conf"), environment(),
        new JsonObject()));
    ManagementSettings management = ManagementSettings.from(config);
    Map<String, Object> group = StackTemplate.cast(template.resource("TargetGroup").get("Properties"));
    assertThat(group.get("Port")).isEqualTo(config.http().port());
    assertThat(group.get("TargetType")).isEqualTo("ip");
    assertThat(group.get("HealthCheckPort")).isEqualTo(String.valueOf(management.port()));
    assertThat(group.get("HealthCheckPath")).isEqualTo("/health/ready");
    assertThat(management.enabled()).isTrue();

    List<Map<String, Object>> ports = StackTemplate.cast(container.get("PortMappings"));
    assertThat(ports).extracting(port -> port.get("ContainerPort"))
        .containsExactlyInAnyOrder(config.http().port(), management.port());
    Map<String, Object> service = StackTemplate.cast(template.resource("Service").get("Properties"));
    List<Map<String, Object>> balancers = StackTemplate.cast(service.get("LoadBalancers"));
    assertThat(balancers).singleElement().satisfies(balancer -> {
      assertThat(balancer.get("ContainerName")).isEqualTo("webstore");
      assertThat(balancer.get("ContainerPort")).isEqualTo(config.http().port());
    });
  }
}
