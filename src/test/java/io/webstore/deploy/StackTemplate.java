package io.webstore.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One CloudFormation template of {@code deploy/}, read the way CloudFormation reads it: the YAML short forms
 * ({@code !Ref}, {@code !Sub}, {@code !GetAtt}, ...) become their long forms ({@code {"Ref": ...}},
 * {@code {"Fn::Sub": ...}}, {@code {"Fn::GetAtt": [resource, attribute]}}), so tests walk plain maps and lists, the
 * same tree as the template's JSON form.
 *
 * <p>It also evaluates the few intrinsic functions the tests need ({@code Ref}, {@code Fn::Sub}, {@code Fn::If},
 * {@code Fn::GetAtt} of a resource's name) for given parameter values; anything else it cannot know (an ARN, an
 * endpoint) comes from a lookup the test gives, or fails the test.
 */
final class StackTemplate {

  static final Path DIR = Path.of("deploy");

  private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue",
      "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString");
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

  private final Path file;
  private final Map<String, Object> root;

  private StackTemplate(Path file, Map<String, Object> root) {
    this.file = file;
    this.root = root;
  }

  static StackTemplate load(String name) {
    Path file = DIR.resolve(name);
    try (Reader reader = Files.newBufferedReader(file)) {
      Object parsed = new Yaml(new CloudFormationConstructor()).load(reader);
      if (!(parsed instanceof Map<?, ?>)) {
        throw new IllegalStateException(file + " is not a YAML mapping");
      }
      return new StackTemplate(file, cast(parsed));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /** The root template and the nested ones it names. */
  static StackTemplate root() {
    return load("webstore.yaml");
  }

  Path file() {
    return file;
  }

  Map<String, Object> section(String name) {
    Object section = root.get(name);
    return section == null ? Map.of() : cast(section);
  }

  Map<String, Object> resources() {
    return section("Resources");
  }

  Map<String, Object> resource(String logicalId) {
    Object resource = resources().get(logicalId);
    if (resource == null) {
      throw new AssertionError(file + " has no resource " + logicalId);
    }
    return cast(resource);
  }

  /** Logical id → properties of every resource of {@code type}, in template order. */
  Map<String, Map<String, Object>> resourcesOfType(String type) {
    Map<String, Map<String, Object>> found = new LinkedHashMap<>();
    resources().forEach((id, value) -> {
      Map<String, Object> resource = cast(value);
      if (type.equals(resource.get("Type"))) {
        Object properties = resource.get("Properties");
        found.put(id, properties == null ? Map.of() : cast(properties));
      }
    });
    return found;
  }

  /** The parameters' defaults, overridden by {@code values}. */
  Map<String, String> parameters(Map<String, String> values) {
    Map<String, String> parameters = new LinkedHashMap<>();
    section("Parameters").forEach((name, definition) -> {
      Object fallback = StackTemplate.<Map<String, Object>>cast(definition).get("Default");
      if (fallback != null) {
        parameters.put(name, String.valueOf(fallback));
      }
    });
    parameters.putAll(values);
    return parameters;
  }

  /** Evaluates intrinsic functions with these parameter values; {@code unknown} answers what only AWS knows. */
  Evaluator evaluator(Map<String, String> parameterValues, Function<String, String> unknown) {
    return new Evaluator(parameters(parameterValues), unknown);
  }

  /** Evaluates {@code Ref}, {@code Fn::Sub}, {@code Fn::If} and name-like {@code Fn::GetAtt}s to strings. */
  final class Evaluator {
    private final Map<String, String> parameters;
    private final Function<String, String> unknown;

    private Evaluator(Map<String, String> parameters, Function<String, String> unknown) {
      this.parameters = parameters;
      this.unknown = unknown;
    }

    /** The value of {@code node}: a string, or {@link Optional#empty()} for {@code AWS::NoValue}. */
    Optional<String> value(Object node) {
      if (node instanceof String || node instanceof Number || node instanceof Boolean) {
        return Optional.of(String.valueOf(node));
      }
      Map<String, Object> function = cast(node);
      if (function.containsKey("Ref")) {
        String name = (String) function.get("Ref");
        return "AWS::NoValue".equals(name) ? Optional.empty() : Optional.of(ref(name));
      }
      if (function.containsKey("Fn::Sub")) {
        return Optional.of(sub(function.get("Fn::Sub")));
      }
      if (function.containsKey("Fn::GetAtt")) {
        List<Object> target = cast(function.get("Fn::GetAtt"));
        return Optional.of(attribute((String) target.get(0), (String) target.get(1)));
      }
      if (function.containsKey("Fn::If")) {
        List<Object> choice = cast(function.get("Fn::If"));
        return value(condition((String) choice.get(0)) ? choice.get(1) : choice.get(2));
      }
      throw new AssertionError("the test cannot evaluate " + node);
    }

    String string(Object node) {
      return value(node).orElseThrow(() -> new AssertionError(node + " is AWS::NoValue"));
    }

    boolean condition(String name) {
      Object definition = section("Conditions").get(name);
      if (definition == null) {
        throw new AssertionError(file + " has no condition " + name);
      }
      return truth(definition);
    }

    private boolean truth(Object node) {
      Map<String, Object> function = cast(node);
      if (function.containsKey("Condition")) {
        return condition((String) function.get("Condition"));
      }
      if (function.containsKey("Fn::Equals")) {
        List<Object> sides = cast(function.get("Fn::Equals"));
        return value(sides.get(0)).equals(value(sides.get(1)));
      }
      if (function.containsKey("Fn::Not")) {
        return !truth(StackTemplate.<List<Object>>cast(function.get("Fn::Not")).get(0));
      }
      if (function.containsKey("Fn::And")) {
        return StackTemplate.<List<Object>>cast(function.get("Fn::And")).stream().allMatch(this::truth);
      }
      if (function.containsKey("Fn::Or")) {
        return StackTemplate.<List<Object>>cast(function.get("Fn::Or")).stream().anyMatch(this::truth);
      }
      throw new AssertionError("the test cannot evaluate condition " + node);
    }

    private String ref(String name) {
      if (parameters.containsKey(name)) {
        return parameters.get(name);
      }
      return unknown.apply(name);
    }

    private String attribute(String resource, String attribute) {
      Map<String, Object> properties = cast(resource(resource).getOrDefault("Properties", Map.of()));
      // a queue's or a bus's name is a property the template sets: evaluate it rather than ask
      if (attribute.equals("QueueName") && properties.containsKey("QueueName")) {
        return string(properties.get("QueueName"));
      }
      return unknown.apply(resource + "." + attribute);
    }

    private String sub(Object argument) {
      String text;
      Map<String, Object> variables = Map.of();
      if (argument instanceof List<?> list) {
        text = (String) list.get(0);
        variables = cast(list.get(1));
      } else {
        text = (String) argument;
      }
      Matcher matcher = SUB_VARIABLE.matcher(text);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String name = matcher.group(1);
        String replacement;
        if (variables.containsKey(name)) {
          replacement = string(variables.get(name));
        } else if (name.contains(".")) {
          int dot = name.indexOf('.');
          replacement = attribute(name.substring(0, dot), name.substring(dot + 1));
        } else {
          replacement = ref(name);
        }
        matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      matcher.appendTail(out);
      return out.toString();
    }
  }

  /** Every value under {@code node} (maps and lists walked), for searches like "every Ref". */
  static List<Object> walk(Object node) {
    List<Object> all = new ArrayList<>();
    walk(node, all);
    return all;
  }

  private static void walk(Object node, List<Object> into) {
    into.add(node);
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(value -> walk(value, into));
    } else if (node instanceof List<?> list) {
      list.forEach(value -> walk(value, into));
    }
  }

  Map<String, Object> tree() {
    return root;
  }

  @SuppressWarnings("unchecked")
  static <T> T cast(Object value) {
    return (T) value;
  }

  /** SnakeYAML's safe constructor plus CloudFormation's short-form tags, each built as its long form. */
  private static final class CloudFormationConstructor extends SafeConstructor {

    CloudFormationConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
      yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
      FUNCTIONS.forEach(name -> yamlConstructors.put(new Tag("!" + name), new LongForm("Fn::" + name)));
    }

    private Object content(Node node) {
      if (node instanceof ScalarNode scalar) {
        return constructScalar(scalar);
      }
      if (node instanceof SequenceNode sequence) {
        return constructSequence(sequence);
      }
      return constructMapping((MappingNode) node);
    }

    private final class LongForm extends AbstractConstruct {
      private final String key;

      LongForm(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put(key, content(node));
        return function;
      }
    }

    /** {@code !GetAtt Resource.Attribute} is the list {@code [Resource, Attribute]} (the attribute may hold dots). */
    private final class GetAtt extends AbstractConstruct {
      @Override
      public Object construct(Node node) {
        Object content = content(node);
        if (content instanceof String dotted) {
          int dot = dotted.indexOf('.');
          content = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
        }
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("Fn::GetAtt", content);
        return function;
      }
    }
  }
}
