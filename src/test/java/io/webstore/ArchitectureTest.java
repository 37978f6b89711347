package io.webstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The boundaries of docs/architecture.md, checked on the compiled classes of {@code src/main} (and, for
 * {@code synchronized} blocks, on its source): a feature uses another only through its public surface, the platform
 * imports no feature, only the HTTP layer touches {@code RoutingContext}, nothing blocks, nothing is
 * {@code synchronized}.
 */
@AnalyzeClasses(locations = ArchitectureTest.MainClasses.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The compiled classes of src/main only: scanning every jar of the test classpath for io.webstore takes a minute. */
  static final class MainClasses implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      try {
        return Set.of(Location.of(WebStore.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final String ROOT = "io.webstore";

  /** Direct sub-packages of {@code io.webstore} that are not features. */
  private static final Set<String> NOT_FEATURES = Set.of("platform", "http");

  /**
   * The process's start and stop, allowed to use the shared default worker pool ({@code Vertx.executeBlocking}), each
   * once per process: everything else that blocks runs on a named, bounded {@code WorkerExecutor}. A lambda counts
   * as the method that it is written in.
   */
  private static final Map<String, String> DEFAULT_WORKER_POOL_ALLOWED = Map.of(
      "io.webstore.WebStore.start", "builds the SDK clients once at start",
      "io.webstore.WebStore.boot", "closes the SDK clients after a failed start",
      "io.webstore.WebStore.stop", "closes the SDK clients once at stop (the SDK's close waits for its threads)",
      "io.webstore.platform.auth.AuthKeys.load", "generates the dev profile's RSA key pair once at start",
      "io.webstore.customer.LocalIdentityProvider.hash", "hashes the admin account's password once at start");

  /** Code that runs on a thread of its own, never on an event loop, and may wait there. */
  private static final Map<String, String> OWN_THREAD = Map.of(
      "io.webstore.WebStore.stopOnSignal", "the signal handler's thread waits for the stop before the JVM exits");

  // (a) ------------------------------------------------------------------------------------------------------------

  @ArchTest
  static final ArchRule featuresUseEachOtherOnlyThroughTheirPublicSurface = classes()
      .that().resideInAPackage(ROOT + "..")
      .should(new UseOtherFeaturesOnlyThroughTheirSurface())
      .as("a feature uses another feature only through its public surface: its *Client and *Feature classes, the "
          + "types nested in them, and the types of that feature that their public members take or return "
          + "(transitively)");

  // (b) ------------------------------------------------------------------------------------------------------------

  @ArchTest
  static final ArchRule platformImportsNoFeature = noClasses()
      .that().resideInAPackage(ROOT + ".platform..")
      .should().dependOnClassesThat(DescribedPredicate.describe("are outside io.webstore.platform",
          (JavaClass target) -> target.getPackageName().startsWith(ROOT)
              && !target.getPackageName().startsWith(ROOT + ".platform")))
      .as("the platform imports no feature, no HTTP class and not the application (io.webstore.WebStore, Features)");

  // (c) ------------------------------------------------------------------------------------------------------------

  @ArchTest
  static final ArchRule onlyHttpAndRoutesTouchRoutingContext = noClasses()
      .that(DescribedPredicate.describe("are neither in io.webstore.http nor *Routes classes",
          (JavaClass origin) -> !origin.getPackageName().startsWith(ROOT + ".http")
              && !topLevel(origin).getSimpleName().endsWith("Routes")))
      .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.web.RoutingContext")
      .as("only io.webstore.http.. and *Routes classes touch io.vertx.ext.web.RoutingContext");

  // (d) ------------------------------------------------------------------------------------------------------------

  @ArchTest
  static final ArchRule nothingBlocks = noClasses()
      .that().resideInAPackage(ROOT + "..")
      .should().accessTargetWhere(DescribedPredicate.describe("blocks the calling thread",
          ArchitectureTest::blocks))
      .as("no class in src/main calls a blocking API: Thread.sleep, get on a java.util.concurrent.Future, "
          + "CompletableFuture.join, Vert.x Future.await, or executeBlocking outside a named WorkerExecutor "
          + "(except where allowed by name: " + DEFAULT_WORKER_POOL_ALLOWED.keySet() + ", " + OWN_THREAD.keySet() + ")");

  // (e) ------------------------------------------------------------------------------------------------------------

  @ArchTest
  static final ArchRule noSynchronizedMethods = methods()
      .that().areDeclaredInClassesThat().resideInAPackage(ROOT + "..")
      .should().notHaveModifier(JavaModifier.SYNCHRONIZED)
      .as("no synchronized method in src/main");

  /** A {@code synchronized} block leaves no modifier behind, only monitor instructions: the source shows it. */
  @ArchTest
  static void noSynchronizedBlocks(JavaClasses ignored) throws IOException {
    List<String> found = new ArrayList<>();
    Pattern keyword = Pattern.compile("\\bsynchronized\\b");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
        String code = withoutCommentsAndLiterals(Files.readString(file));
        Matcher matcher = keyword.matcher(code);
        while (matcher.find()) {
          found.add(file + ":" + lineOf(code, matcher.start()));
        }
      }
    }
    if (!found.isEmpty()) {
      throw new AssertionError("no synchronized in src/main, but found " + found.size() + ":\n  "
          + String.join("\n  ", found));
    }
  }

  // (f) ------------------------------------------------------------------------------------------------------------

  @ArchTest
  static final ArchRule featureInternalsArePackagePrivate = classes()
      .that().resideInAPackage(ROOT + "..").and().areTopLevelClasses().and().arePublic()
      .should(new BeOnTheSurfaceOfTheirFeature())
      .as("a public top-level class of a feature is on that feature's public surface (its *Client and *Feature "
          + "classes and what their public members take or return); everything else of a feature is package-private");

  // ----------------------------------------------------------------------------------------------------------------

  /** The feature a class belongs to: the first package segment under io.webstore, unless platform or http. */
  static Optional<String> feature(JavaClass type) {
    String name = type.getPackageName();
    if (!name.startsWith(ROOT + ".")) {
      return Optional.empty();
    }
    String first = name.substring(ROOT.length() + 1).split("\\.")[0];
    return NOT_FEATURES.contains(first) ? Optional.empty() : Optional.of(first);
  }

  private static JavaClass topLevel(JavaClass type) {
    JavaClass current = type;
    while (current.getEnclosingClass().isPresent()) {
      current = current.getEnclosingClass().get();
    }
    return current;
  }

  private static boolean blocks(JavaAccess<?> access) {
    if (!(access.getTarget() instanceof AccessTarget.CodeUnitAccessTarget target)) {
      return false;
    }
    String origin = writtenIn(access);
    if (OWN_THREAD.containsKey(origin)) {
      return false;
    }
    JavaClass owner = target.getOwner();
    String name = target.getName();
    if (owner.isAssignableTo(Thread.class) && name.equals("sleep")) {
      return true;
    }
    if (owner.isAssignableTo(java.util.concurrent.Future.class) && (name.equals("get") || name.equals("join"))) {
      return true;
    }
    if (owner.isAssignableTo(io.vertx.core.Future.class) && name.equals("await")) {
      return true;
    }
    if (name.equals("executeBlocking") && !owner.isAssignableTo(io.vertx.core.WorkerExecutor.class)) {
      return !DEFAULT_WORKER_POOL_ALLOWED.containsKey(origin);
    }
    return false;
  }

  /** {@code Class.method} of the access; a lambda's synthetic {@code lambda$method$N} counts as {@code method}. */
  private static String writtenIn(JavaAccess<?> access) {
    String method = access.getOrigin().getName();
    if (method.startsWith("lambda$")) {
      method = method.split("\\$")[1];
    }
    return topLevel(access.getOrigin().getOwner()).getName() + "." + method;
  }

  /** A condition that knows each feature's public surface, computed once from all the imported classes. */
  private abstract static class SurfaceCondition extends ArchCondition<JavaClass> {

    final Map<String, Set<JavaClass>> surfaces = new HashMap<>();

    SurfaceCondition(String description) {
      super(description);
    }

    @Override
    public void init(Collection<JavaClass> all) {
      surfaces.putAll(surfaces(all));
    }

    /** Each feature's public surface among {@code all}. */
    static Map<String, Set<JavaClass>> surfaces(Collection<JavaClass> all) {
      Map<String, Deque<JavaClass>> seeds = new HashMap<>();
      for (JavaClass type : all) {
        feature(type).filter(f -> isSurfaceRoot(type))
            .ifPresent(f -> seeds.computeIfAbsent(f, k -> new ArrayDeque<>()).add(type));
      }
      Map<String, Set<JavaClass>> surfaces = new HashMap<>();
      seeds.forEach((name, queue) -> surfaces.put(name, closure(name, queue)));
      return surfaces;
    }

    private static boolean isSurfaceRoot(JavaClass type) {
      String top = topLevel(type).getSimpleName();
      return top.endsWith("Client") || top.endsWith("Feature");
    }

    /** The roots, then every type of the same feature in the public signatures of what is already in. */
    private static Set<JavaClass> closure(String feature, Deque<JavaClass> queue) {
      Set<JavaClass> surface = new HashSet<>(queue);
      while (!queue.isEmpty()) {
        JavaClass type = queue.poll();
        for (JavaMember member : type.getMembers()) {
          if (!member.getModifiers().contains(JavaModifier.PUBLIC)) {
            continue;
          }
          for (JavaClass involved : involvedTypes(member)) {
            JavaClass base = involved.getBaseComponentType();
            if (feature(base).filter(feature::equals).isPresent() && surface.add(base)) {
              queue.add(base);
            }
          }
        }
      }
      return surface;
    }

    private static Set<JavaClass> involvedTypes(JavaMember member) {
      Set<JavaClass> types = new HashSet<>();
      if (member instanceof com.tngtech.archunit.core.domain.JavaField field) {
        types.addAll(field.getType().getAllInvolvedRawTypes());
      } else if (member instanceof com.tngtech.archunit.core.domain.JavaCodeUnit codeUnit) {
        types.addAll(codeUnit.getReturnType().getAllInvolvedRawTypes());
        for (JavaType parameter : codeUnit.getParameterTypes()) {
          types.addAll(parameter.getAllInvolvedRawTypes());
        }
      }
      return types;
    }

  }

  /** Fails each dependency from one feature on another feature's class outside that feature's surface. */
  private static final class UseOtherFeaturesOnlyThroughTheirSurface extends SurfaceCondition {

    UseOtherFeaturesOnlyThroughTheirSurface() {
      super("use other features only through their public surface");
    }

    @Override
    public void check(JavaClass origin, ConditionEvents events) {
      Optional<String> from = feature(origin);
      if (from.isEmpty()) {
        return;
      }
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass().getBaseComponentType();
        Optional<String> to = feature(target);
        if (to.isEmpty() || to.equals(from)) {
          continue;
        }
        if (!surfaces.getOrDefault(to.get(), Set.of()).contains(target)) {
          events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
              + ": " + target.getName() + " is not on the public surface of feature " + to.get()));
        }
      }
    }
  }

  /** Fails each public top-level class of a feature that is not on that feature's surface. */
  private static final class BeOnTheSurfaceOfTheirFeature extends SurfaceCondition {

    BeOnTheSurfaceOfTheirFeature() {
      super("be on the public surface of their feature");
    }

    @Override
    public void check(JavaClass type, ConditionEvents events) {
      Optional<String> owner = feature(type);
      if (owner.isPresent() && !surfaces.getOrDefault(owner.get(), Set.of()).contains(type)) {
        events.add(SimpleConditionEvent.violated(type, type.getName() + " is public but not on the public surface "
            + "of feature " + owner.get() + ": make it package-private"));
      }
    }
  }

  /** The source with comments, string, text-block and char literals blanked (line breaks kept, for line numbers). */
  static String withoutCommentsAndLiterals(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        blank(source, i, end, out);
        i = end;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
        blank(source, i, end, out);
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        int end = Math.min(j + 1, n);
        blank(source, i, end, out);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static void blank(String source, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      out.append(source.charAt(k) == '\n' ? '\n' : ' ');
    }
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int k = 0; k < offset; k++) {
      if (text.charAt(k) == '\n') {
        line++;
      }
    }
    return line;
  }
}
