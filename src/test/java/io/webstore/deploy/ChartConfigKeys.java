package io.webstore.deploy;

import io.vertx.core.json.JsonObject;
import io.webstore.platform.config.ConfigSection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every start-up config key the store reads, as {@code section.key}, found in the code rather than listed by hand: the
 * keys of conf/*.json, and each read of a {@link ConfigSection} in src/main (its reading methods are found by
 * reflection, so a new one is covered too). A section reaches a read as a variable assigned from
 * {@code section("x")} / {@code new ConfigSection(root, "x")}, as a chained call on those, or as a
 * {@code ConfigSection} parameter of a class's {@code from(...)} whose callers pass {@code section("x")}.
 */
final class ChartConfigKeys {

  private static final Pattern SECTION_SOURCE =
      Pattern.compile("(?:\\bsection|new\\s+ConfigSection)\\(\\s*(?:\\w+\\s*,\\s*)?\"([a-z][A-Za-z0-9]*)\"\\s*\\)");
  private static final Pattern ASSIGNED =
      Pattern.compile("\\b(\\w+)\\s*=\\s*[\\w.()\\s]*?" + SECTION_SOURCE.pattern());
  private static final Pattern PARAMETER = Pattern.compile("\\(\\s*(?:final\\s+)?ConfigSection\\s+(\\w+)\\s*\\)");
  private static final Pattern FROM_CALL =
      Pattern.compile("\\b([A-Z]\\w*)\\.from\\(\\s*[\\w.()\\s]*?" + SECTION_SOURCE.pattern() + "\\s*\\)");

  private ChartConfigKeys() {}

  /** {@code section -> keys}, sorted. */
  static Map<String, Set<String>> all(Path projectDir) {
    Map<String, Set<String>> keys = new TreeMap<>();
    fromConf(projectDir.resolve("conf"), keys);
    fromCode(projectDir.resolve("src/main/java"), keys);
    return keys;
  }

  static Map<String, Set<String>> fromConf(Path confDir, Map<String, Set<String>> keys) {
    for (String file : List.of("application.json", "aws.json", "dev.json")) {
      JsonObject conf = new JsonObject(read(confDir.resolve(file)));
      conf.forEach(section -> {
        if (section.getValue() instanceof JsonObject values) {
          keys.computeIfAbsent(section.getKey(), s -> new TreeSet<>()).addAll(values.fieldNames());
        }
      });
    }
    return keys;
  }

  static Map<String, Set<String>> fromCode(Path sourceDir, Map<String, Set<String>> keys) {
    String reads = readingMethods().stream().collect(Collectors.joining("|"));
    Pattern chained = Pattern.compile(SECTION_SOURCE.pattern() + "\\s*\\.\\s*(?:" + reads + ")\\(\\s*\"(\\w+)\"");
    Pattern onVariable = Pattern.compile("\\b(\\w+)\\s*\\.\\s*(?:" + reads + ")\\(\\s*\"(\\w+)\"");
    Map<Path, String> sources = javaFiles(sourceDir);
    Map<String, String> sectionOfFromParameter = new HashMap<>();
    sources.values().forEach(text -> {
      Matcher call = FROM_CALL.matcher(text);
      while (call.find()) {
        sectionOfFromParameter.put(call.group(1), call.group(2));
      }
    });
    sources.forEach((file, text) -> {
      Map<String, String> sectionOf = new HashMap<>();
      Matcher assigned = ASSIGNED.matcher(text);
      while (assigned.find()) {
        sectionOf.put(assigned.group(1), assigned.group(2));
      }
      Matcher parameter = PARAMETER.matcher(text);
      String className = file.getFileName().toString().replace(".java", "");
      while (parameter.find()) {
        String section = sectionOfFromParameter.get(className);
        if (section == null) {
          throw new IllegalStateException(file + " takes a ConfigSection parameter '" + parameter.group(1)
              + "' but no caller passes it as " + className + ".from(....section(\"<name>\")): say which section");
        }
        sectionOf.putIfAbsent(parameter.group(1), section);
      }
      Matcher direct = chained.matcher(text);
      while (direct.find()) {
        keys.computeIfAbsent(direct.group(1), s -> new TreeSet<>()).add(direct.group(2));
      }
      Matcher read = onVariable.matcher(text);
      while (read.find()) {
        String section = sectionOf.get(read.group(1));
        if (section != null) {
          keys.computeIfAbsent(section, s -> new TreeSet<>()).add(read.group(2));
        }
      }
    });
    return keys;
  }

  /** The public methods of ConfigSection that read a key: their first parameter is the key's name. */
  static Set<String> readingMethods() {
    return Arrays.stream(ConfigSection.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getParameterCount() > 0 && m.getParameterTypes()[0] == String.class)
        .filter(m -> !m.getName().equals("envName")) // names the key's variable; reads nothing
        .map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<Path, String> javaFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      Map<Path, String> sources = new TreeMap<>();
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.put(f, read(f)));
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
