package io.webstore.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * One template, two platforms: with {@code Platform=eks} the stack keeps everything the store uses (the chart runs
 * it) and drops only what runs it on Fargate; the store's role is then assumed through EKS Pod Identity by the chart's
 * service account alone.
 */
class StackPlatformTest {

  /** Types that run the store, not what it uses: only on Fargate. */
  private static final Set<String> FARGATE_ONLY_TYPES = Set.of("AWS::ECS::Cluster", "AWS::ECS::TaskDefinition",
      "AWS::ECS::Service", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup",
      "AWS::ElasticLoadBalancingV2::Listener", "AWS::ApplicationAutoScaling::ScalableTarget",
      "AWS::ApplicationAutoScaling::ScalingPolicy", "AWS::WAFv2::WebACLAssociation");

  private final StackTemplate template = StackTemplate.root();

  private Set<String> resourcesOn(String platform) {
    StackTemplate.Evaluator evaluate = template.evaluator(Map.of("Platform", platform, "EksClusterName", "shop"),
        name -> "unknown");
    Set<String> present = new TreeSet<>();
    template.resources().forEach((id, value) -> {
      Map<String, Object> resource = StackTemplate.cast(value);
      Object condition = resource.get("Condition");
      if (condition == null || evaluate.condition((String) condition)) {
        present.add(id);
      }
    });
    return present;
  }

  @Test
  void onEksTheStackKeepsWhatTheStoreUsesAndDropsWhatRunsItOnFargate() {
    Set<String> fargate = resourcesOn("fargate");
    Set<String> eks = resourcesOn("eks");
    template.resources().forEach((id, value) -> {
      String type = (String) StackTemplate.<Map<String, Object>>cast(value).get("Type");
      if (FARGATE_ONLY_TYPES.contains(type)) {
        assertThat(eks).as(id + " runs the store: not on EKS").doesNotContain(id);
        assertThat(fargate).as(id).contains(id);
      } else if (type.startsWith("AWS::DynamoDB::") || type.startsWith("AWS::SQS::") || type.startsWith("AWS::Events::")
          || type.startsWith("AWS::Cognito::") || type.startsWith("AWS::ElastiCache::")
          || type.startsWith("AWS::SecretsManager::") || type.startsWith("AWS::S3::")
          || type.startsWith("AWS::CloudFront::")) {
        assertThat(eks).as(id + " is used by the store: on both platforms").contains(id);
        assertThat(fargate).as(id).contains(id);
      }
    });
    assertThat(eks).contains("TaskRole", "PodIdentity", "WebAcl").doesNotContain("ExecutionRole");
    assertThat(fargate).contains("TaskRole", "ExecutionRole").doesNotContain("PodIdentity");
  }

  @Test
  void onEksOnlyTheChartsServiceAccountAssumesTheStoresRole() {
    Map<String, Object> role = template.resourcesOfType("AWS::IAM::Role").get("TaskRole");
    Map<String, Object> trust = StackTemplate.cast(role.get("AssumeRolePolicyDocument"));
    List<Object> statements = StackTemplate.cast(trust.get("Statement"));
    assertThat(statements).hasSize(1);
    List<Object> choice = StackTemplate.cast(StackTemplate.<Map<String, Object>>cast(statements.get(0)).get("Fn::If"));
    assertThat(choice.get(0)).isEqualTo("OnFargate");
    Map<String, Object> eks = StackTemplate.cast(choice.get(2));
    assertThat(eks.get("Principal")).isEqualTo(Map.of("Service", "pods.eks.amazonaws.com"));
    Map<String, Object> equals = StackTemplate.cast(StackTemplate.<Map<String, Object>>cast(eks.get("Condition"))
        .get("StringEquals"));
    assertThat(equals).containsEntry("aws:RequestTag/kubernetes-namespace", Map.of("Ref", "EksNamespace"))
        .containsEntry("aws:RequestTag/kubernetes-service-account", Map.of("Ref", "EksServiceAccount"))
        .containsEntry("aws:RequestTag/eks-cluster-name", Map.of("Ref", "EksClusterName"));

    Map<String, Object> association = template.resourcesOfType("AWS::EKS::PodIdentityAssociation").get("PodIdentity");
    assertThat(association.get("Namespace")).isEqualTo(Map.of("Ref", "EksNamespace"));
    assertThat(association.get("ServiceAccount")).isEqualTo(Map.of("Ref", "EksServiceAccount"));
    assertThat(association.get("RoleArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("TaskRole", "Arn")));
  }
}
