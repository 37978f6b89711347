package io.webstore.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * helm/webstore rendered by Helm's own engine (helm-java: the Helm library bundled as a native library, so no helm
 * binary is needed), parsed into plain maps.
 */
final class ChartRendering {

  static final Path CHART = Path.of("helm/webstore");

  private ChartRendering() {}

  /** Renders with the chart's values, then each values file, then each {@code --set key=value}. */
  static Manifests render(List<Path> valuesFiles, Map<String, String> sets) {
    TemplateCommand template = new Helm(CHART).template().withName("shop").withNamespace("store");
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    for (Map.Entry<String, String> set : sets.entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return new Manifests(template.call());
  }

  static Manifests render(Map<String, String> sets) {
    return render(List.of(), sets);
  }

  static LintResult lint() {
    return new Helm(CHART).lint().strict().call();
  }

  /** The rendered documents. */
  static final class Manifests {
    final String text;
    final List<Map<String, Object>> documents = new ArrayList<>();

    @SuppressWarnings("unchecked")
    Manifests(String text) {
      this.text = text;
      for (Object document : new Yaml().loadAll(text)) {
        if (document != null) {
          documents.add((Map<String, Object>) document);
        }
      }
    }

    List<Map<String, Object>> all(String kind) {
      return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
      List<Map<String, Object>> found = all(kind);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + kind + ", rendered " + found.size() + ":\n" + text);
      }
      return found.get(0);
    }

    Map<String, Object> container() {
      return map(((List<?>) at(one("Deployment"), "spec.template.spec.containers")).get(0));
    }

    /**
     * The environment the store's process gets: the ConfigMap through envFrom, then the container's own {@code env}
     * values on top (as the kubelet applies them). Secrets are not resolved.
     */
    Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      Map<String, Object> data = map(at(one("ConfigMap", "-env"), "data"));
      data.forEach((name, value) -> env.put(name, String.valueOf(value)));
      for (Object entry : (List<?>) container().get("env")) {
        Map<String, Object> variable = map(entry);
        if (variable.containsKey("value")) {
          env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
      }
      return env;
    }

    Map<String, Object> one(String kind, String nameSuffix) {
      List<Map<String, Object>> found = all(kind).stream()
          .filter(d -> String.valueOf(at(d, "metadata.name")).endsWith(nameSuffix)).toList();
      if (found.size() != 1) {
        throw new AssertionError("expected one " + kind + " named *" + nameSuffix + ":\n" + text);
      }
      return found.get(0);
    }
  }

  /** The value at a dotted path of maps ({@code spec.template.spec}); null when absent. */
  static Object at(Object root, String path) {
    Object current = root;
    for (String part : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(part);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new AssertionError("not a map: " + o);
    }
    return (Map<String, Object>) o;
  }
}
