package io.webstore.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Least privilege in the template's IAM roles: no statement names a wildcard action or a wildcard resource, except
 * the few where AWS offers nothing narrower (listed here with the reason); the task role reaches every table, index
 * and queue of the template, and no other.
 */
class StackIamTest {

  /** Statement id → the only wildcard resource it may name, and why AWS needs it. */
  private static final Map<String, String> WILDCARD_RESOURCES = Map.of(
      "EcrToken", "*", // ecr:GetAuthorizationToken has no resource-level permissions
      "ReadinessListsTables", "*", // dynamodb:ListTables has no resource-level permissions
      "Assets", "${AssetsBucket.Arn}/*"); // object keys of the assets bucket are not known in advance

  private final StackTemplate template = StackTemplate.root();

  @Test
  void noStatementNamesAWildcardActionOrAnUnlistedWildcardResource() {
    List<Map<String, Object>> statements = statements();
    assertThat(statements).hasSizeGreaterThan(10);
    List<String> broken = new ArrayList<>();
    Set<String> wildcardsSeen = new HashSet<>();
    for (Map<String, Object> statement : statements) {
      String sid = (String) statement.get("Sid");
      assertThat(sid).as("every statement has a Sid: %s", statement).isNotBlank();
      assertThat(statement.get("Effect")).as(sid).isEqualTo("Allow");
      assertThat(statement).as(sid + ": NotAction/NotResource widen a statement").doesNotContainKeys("NotAction",
          "NotResource");
      for (Object action : list(statement.get("Action"))) {
        assertThat(action).as(sid).isInstanceOf(String.class);
        if (((String) action).contains("*")) {
          broken.add(sid + " action " + action);
        }
      }
      for (Object resource : list(statement.get("Resource"))) {
        String text = resourceText(resource);
        if (text.contains("*")) {
          if (text.equals(WILDCARD_RESOURCES.get(sid))) {
            wildcardsSeen.add(sid);
          } else {
            broken.add(sid + " resource " + text);
          }
        }
      }
    }
    assertThat(broken).as("wildcards").isEmpty();
    assertThat(wildcardsSeen).as("the listed exceptions are still needed").isEqualTo(WILDCARD_RESOURCES.keySet());
  }

  @Test
  void theTaskRoleReachesEveryTableIndexAndQueueOfTheTemplateAndNoOther() {
    Map<String, Object> policy = taskPolicy();
    Set<Object> tables = new HashSet<>(list(statement(policy, "Tables").get("Resource")));
    Set<Object> expectedTables = new HashSet<>();
    Set<Object> expectedIndexes = new HashSet<>();
    template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, table) -> {
      expectedTables.add(Map.of("Fn::GetAtt", List.of(id, "Arn")));
      List<Map<String, Object>> gsis = StackTemplate.cast(table.getOrDefault("GlobalSecondaryIndexes", List.of()));
      gsis.forEach(gsi -> expectedIndexes.add(Map.of("Fn::Sub", "${" + id + ".Arn}/index/" + gsi.get("IndexName"))));
    });
    assertThat(tables).isEqualTo(expectedTables);
    assertThat(new HashSet<>(list(statement(policy, "Indexes").get("Resource")))).isEqualTo(expectedIndexes);

    Set<Object> queues = new HashSet<>(list(statement(policy, "PublishOrders").get("Resource")));
    queues.addAll(list(statement(policy, "ConsumeQueues").get("Resource")));
    Set<Object> expectedQueues = new HashSet<>();
    template.resourcesOfType("AWS::SQS::Queue").keySet().stream().filter(id -> !id.endsWith("DeadLetterQueue"))
        .forEach(id -> expectedQueues.add(Map.of("Fn::GetAtt", List.of(id, "Arn"))));
    assertThat(queues).as("the store's queues; dead letters are for operators").isEqualTo(expectedQueues);
    assertThat(list(statement(policy, "PublishEvents").get("Resource")))
        .containsExactly(Map.of("Fn::GetAtt", List.of("EventBus", "Arn")));
  }

  private Map<String, Object> taskPolicy() {
    Map<String, Object> role = template.resourcesOfType("AWS::IAM::Role").get("TaskRole");
    List<Map<String, Object>> policies = StackTemplate.cast(role.get("Policies"));
    assertThat(policies).hasSize(1);
    return StackTemplate.cast(policies.get(0).get("PolicyDocument"));
  }

  private static Map<String, Object> statement(Map<String, Object> document, String sid) {
    return statementsOf(document).stream().filter(statement -> sid.equals(statement.get("Sid"))).findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + sid));
  }

  /** Every statement of every identity policy in the template (inline role policies and managed policies). */
  private List<Map<String, Object>> statements() {
    List<Map<String, Object>> statements = new ArrayList<>();
    template.resourcesOfType("AWS::IAM::Role").forEach((id, role) -> {
      assertThat(role).as(id + " has no managed policies (their statements are not in this template)")
          .doesNotContainKey("ManagedPolicyArns");
      List<Map<String, Object>> policies = StackTemplate.cast(role.getOrDefault("Policies", List.of()));
      policies.forEach(policy -> statements.addAll(statementsOf(StackTemplate.cast(policy.get("PolicyDocument")))));
    });
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      template.resourcesOfType(type).values().forEach(policy ->
          statements.addAll(statementsOf(StackTemplate.cast(policy.get("PolicyDocument")))));
    }
    return statements;
  }

  /** The statements, with {@code Fn::If}s (a statement only some stacks have) taken on their statement branch. */
  private static List<Map<String, Object>> statementsOf(Map<String, Object> document) {
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Object entry : list(document.get("Statement"))) {
      Map<String, Object> statement = StackTemplate.cast(entry);
      if (statement.containsKey("Fn::If")) {
        List<Object> choice = StackTemplate.cast(statement.get("Fn::If"));
        for (Object branch : choice.subList(1, 3)) {
          Map<String, Object> option = StackTemplate.cast(branch);
          if (!Map.of("Ref", "AWS::NoValue").equals(option)) {
            statements.add(option);
          }
        }
      } else {
        statements.add(statement);
      }
    }
    return statements;
  }

  private static String resourceText(Object resource) {
    if (resource instanceof String text) {
      return text;
    }
    Map<String, Object> function = StackTemplate.cast(resource);
    Object sub = function.get("Fn::Sub");
    if (sub != null) {
      return sub instanceof List<?> list ? (String) list.get(0) : (String) sub;
    }
    return String.valueOf(resource); // Ref and GetAtt name one resource
  }

  private static List<Object> list(Object node) {
    if (node == null) {
      return List.of();
    }
    return node instanceof List<?> list ? StackTemplate.cast(list) : List.of(node);
  }
}
