package io.webstore.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The templates under {@code deploy/} parse, and what they refer to exists: every {@code Ref}, {@code Fn::GetAtt},
 * {@code ${...}} of a {@code Fn::Sub} and condition names a parameter, resource or condition of the same template;
 * the nested network stack is a file here, takes the parameters it is given and has the outputs that are read.
 * (cfn-lint, {@code make lint-deploy}, checks the properties against AWS's schemas; this runs in {@code make test}.)
 */
class StackTemplateTest {

  private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NoValue", "AWS::Partition",
      "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix", "AWS::NotificationARNs");
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

  @Test
  void everyTemplateParsesWithResourcesThatHaveATypeAndAWellFormedVersion() throws Exception {
    List<Path> templates;
    try (Stream<Path> files = Files.list(StackTemplate.DIR)) {
      templates = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(templates).extracting(file -> file.getFileName().toString())
        .contains("webstore.yaml", "network.yaml");
    for (Path file : templates) {
      StackTemplate template = StackTemplate.load(file.getFileName().toString());
      assertThat(template.tree().get("AWSTemplateFormatVersion")).as(file.toString()).isEqualTo("2010-09-09");
      assertThat(template.resources()).as(file.toString()).isNotEmpty();
      template.resources().forEach((id, resource) -> assertThat(
          StackTemplate.<Map<String, Object>>cast(resource).get("Type")).as(file + " " + id).isInstanceOf(String.class)
          .asString().matches("AWS::[A-Za-z0-9]+::[A-Za-z0-9]+"));
    }
  }

  @Test
  void everyReferenceInEveryTemplateNamesSomethingThatExists() {
    for (String name : List.of("webstore.yaml", "network.yaml")) {
      StackTemplate template = StackTemplate.load(name);
      Set<String> names = new HashSet<>(template.section("Parameters").keySet());
      names.addAll(template.resources().keySet());
      names.addAll(PSEUDO_PARAMETERS);
      Set<String> conditions = template.section("Conditions").keySet();
      List<String> broken = new ArrayList<>();
      for (Object node : StackTemplate.walk(template.tree())) {
        if (!(node instanceof Map<?, ?> map)) {
          continue;
        }
        if (map.get("Ref") instanceof String ref && !names.contains(ref)) {
          broken.add("Ref " + ref);
        }
        if (map.get("Fn::GetAtt") instanceof List<?> target && !template.resources().containsKey(target.get(0))) {
          broken.add("GetAtt " + target);
        }
        Object sub = map.get("Fn::Sub");
        if (sub != null) {
          String text = sub instanceof List<?> list ? (String) list.get(0) : (String) sub;
          Set<String> local = sub instanceof List<?> list ? StackTemplate.<Map<String, Object>>cast(list.get(1))
              .keySet() : Set.of();
          Matcher matcher = SUB_VARIABLE.matcher(text);
          while (matcher.find()) {
            String variable = matcher.group(1);
            String head = variable.contains(".") && !variable.startsWith("AWS::")
                ? variable.substring(0, variable.indexOf('.')) : variable;
            if (!local.contains(head) && !names.contains(head)) {
              broken.add("Sub ${" + variable + "}");
            }
          }
        }
        if (map.get("Fn::If") instanceof List<?> choice && !conditions.contains(choice.get(0))) {
          broken.add("If " + choice.get(0));
        }
        if (map.get("Condition") instanceof String condition && !conditions.contains(condition)) {
          broken.add("Condition " + condition);
        }
      }
      assertThat(broken).as(name + ": references to nothing").isEmpty();
    }
  }

  @Test
  void theNestedNetworkStackIsHereTakesItsParametersAndHasTheOutputsTheRootReads() {
    StackTemplate root = StackTemplate.root();
    Map<String, Object> network = root.resourcesOfType("AWS::CloudFormation::Stack").get("Network");
    assertThat(network).as("the root nests the network stack").isNotNull();
    String url = (String) network.get("TemplateURL");
    assertThat(StackTemplate.DIR.resolve(url)).exists();
    StackTemplate nested = StackTemplate.load(url);

    Map<String, Object> given = StackTemplate.cast(network.get("Parameters"));
    Map<String, Object> declared = nested.section("Parameters");
    assertThat(declared.keySet()).containsAll(given.keySet());
    declared.forEach((parameter, definition) -> {
      if (!StackTemplate.<Map<String, Object>>cast(definition).containsKey("Default")) {
        assertThat(given).as("required parameter %s of %s", parameter, url).containsKey(parameter);
      }
    });

    Set<String> read = new HashSet<>();
    for (Object node : StackTemplate.walk(root.tree())) {
      if (node instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> target
          && "Network".equals(target.get(0))) {
        read.add(((String) target.get(1)).replaceFirst("^Outputs\\.", ""));
      }
    }
    assertThat(read).isNotEmpty();
    assertThat(nested.section("Outputs").keySet()).containsAll(read);
  }
}
