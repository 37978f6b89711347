package io.webstore.testing;

import io.webstore.WebStore;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * The JUnit 5 face of {@link Engines}: the engines start once per test JVM; each test class gets one {@link Api}
 * client of the shared store (closed after the class), the shared {@link WebStore} itself, {@link Engines}, and
 * {@link Stores} for stores of its own. Use it through {@link WebstoreTest}.
 */
public final class EnginesExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EnginesExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    inject(context.getRequiredTestClass(), null, context);
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
    inject(testInstance.getClass(), testInstance, context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Api.class || type == WebStore.class || type == Engines.class || type == Stores.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == Stores.class) {
      // scoped to where it was asked for: a @BeforeAll's stores live for the class, a test's for the test (keyed by
      // the context's id, since a store lookup also finds its parents' values and would hand a test the class's)
      return context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId(),
          key -> new Stores(Engines.shared()), Stores.class);
    }
    return shared(type, context);
  }

  private static void inject(Class<?> testClass, Object instance, ExtensionContext context)
      throws IllegalAccessException {
    for (Class<?> type = testClass; type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (!field.isAnnotationPresent(Shared.class) || Modifier.isStatic(field.getModifiers()) == (instance != null)) {
          continue;
        }
        if (field.getType() != Api.class && field.getType() != WebStore.class) {
          throw new ExtensionConfigurationException("@Shared fits an Api or a WebStore field, not " + field);
        }
        field.setAccessible(true);
        field.set(instance, shared(field.getType(), context));
      }
    }
  }

  private static Object shared(Class<?> type, ExtensionContext context) {
    if (type == Engines.class) {
      return Engines.shared();
    }
    if (type == WebStore.class) {
      return Engines.shared().app();
    }
    // one client per test class, whether asked for by a field, a @BeforeAll or a test method
    return classContext(context).getStore(NAMESPACE).getOrComputeIfAbsent(Api.class, key -> Api.shared(), Api.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
