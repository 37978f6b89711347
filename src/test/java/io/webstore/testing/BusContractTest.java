package io.webstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The event-bus declarations themselves: every address the code names has one, each declaration names a real
 * address, and a message that breaks its declaration is caught. (That every message of the suite matches is checked
 * by {@link BusContract}'s interceptor on every store, failing the test during which a message broke it.)
 */
class BusContractTest {

  /** {@code <feature>.<verb>} and {@code events.<type>}, as the house names addresses. */
  private static final Pattern ADDRESS = Pattern.compile("^(?!webstore\\.)(events\\.)?[a-z]+\\.[a-z][A-Za-z.]*(?<!\\.yaml|\\.json|\\.lua)$");

  @Test
  void everyAddressConstantHasADeclarationAndEveryDeclarationAnAddress() throws Exception {
    Set<String> named = addressConstants();
    assertThat(named).as("address constants found in src/main").isNotEmpty();
    assertThat(BusContract.shared().declaredAddresses())
        .as("src/main/resources/bus/<address>.json for every address constant of src/main")
        .containsAll(named);
    assertThat(named).as("every declaration in src/main/resources/bus names an address constant of src/main")
        .containsAll(BusContract.shared().declaredAddresses());
  }

  @Test
  void aRequestThatBreaksItsDeclarationIsAViolation() {
    WebStore store = Engines.shared().app();
    ContractViolations.drain(); // what earlier tests left is theirs; this one counts only its own message
    Engines.await(store.vertx().eventBus().request("cart.get", new JsonObject().put("unexpected", true),
            new DeliveryOptions().setSendTimeout(10_000))
        .otherwiseEmpty());
    assertThat(ContractViolations.drain())
        .anySatisfy(violation -> assertThat(violation).startsWith("bus cart.get request breaks its declaration"));
  }

  private static Set<String> addressConstants() throws IOException, URISyntaxException, IllegalAccessException {
    Path classes = Path.of(WebStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> addresses = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(file).toString().replace('/', '.').replaceFirst("\\.class$", "");
        Class<?> type;
        try {
          type = Class.forName(name, false, BusContractTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        if (!(type.getSimpleName().endsWith("Verticle") || type.getSimpleName().endsWith("Client")
            || type.getSimpleName().endsWith("Link") || type.getSimpleName().equals("ProductCatalog"))) {
          continue;
        }
        for (Field field : type.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (field.getType() == String.class && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)) {
            field.setAccessible(true);
            String value = (String) field.get(null);
            if (value != null && ADDRESS.matcher(value).matches()) {
              addresses.add(value);
            }
          }
        }
      }
    }
    return addresses;
  }
}
