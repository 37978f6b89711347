package io.webstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.platform.events.EventType;
import io.webstore.cart.CartClient;
import io.webstore.catalog.CatalogClient;
import io.webstore.checkout.CheckoutClient;
import io.webstore.inventory.HoldLine;
import io.webstore.inventory.InventoryClient;
import io.webstore.orders.OrdersClient;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.config.RuntimeSettingsVerticle;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
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

  /**
   * The addresses the HTTP tests do not reach (checkout's and orders' compensations, the stores list, recovery on
   * demand, the runtime settings), driven through their clients against the real verticles: the interceptor checks
   * each request and reply, and a reply that breaks its declaration fails this test.
   */
  @Test
  void theAddressesOnlyCompensationsReachAnswerAsDeclared() {
    WebStore store = Engines.shared().app();
    Vertx vertx = store.vertx();
    Duration timeout = Duration.ofSeconds(15);
    String sku = "BUS-" + UUID.randomUUID();
    String holdId = "bus-hold-" + UUID.randomUUID();
    String customer = "bus-" + UUID.randomUUID();
    InventoryClient inventory = new InventoryClient(vertx, timeout);
    OrdersClient orders = new OrdersClient(vertx, timeout);
    List<SaleClaim> claims = List.of(new SaleClaim("bus-sale-" + UUID.randomUUID(), 1, 3));

    Engines.await(new CatalogClient(vertx, timeout).stores());
    Engines.await(inventory.set(sku, 5));
    Engines.await(inventory.hold(holdId, List.of(new HoldLine(sku, 2))));
    assertThat(Engines.await(inventory.release(holdId))).isTrue();
    Engines.await(orders.claimSaleLimits(customer, "bus-claim-1", claims));
    Engines.await(orders.releaseSaleLimits(customer, "bus-claim-1", claims));
    Engines.await(orders.abort("bus-order-" + UUID.randomUUID()).otherwiseEmpty());
    Engines.await(orders.abandon("bus-order-" + UUID.randomUUID()).otherwiseEmpty());
    Engines.await(new CartClient(vertx, timeout).release(CartClient.customer(customer), "bus-record-1"));
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    Engines.await(vertx.eventBus().request(CheckoutClient.RECOVER, new JsonObject(), options));
    Engines.await(vertx.eventBus().request(RuntimeSettingsVerticle.CURRENT, new JsonObject(), options));

    assertThat(BusContract.shared().exercisedAddresses()).contains(CatalogClient.STORES, InventoryClient.RELEASE,
        OrdersClient.CLAIM_SALE_LIMITS, OrdersClient.RELEASE_SALE_LIMITS, OrdersClient.ABORT, OrdersClient.ABANDON,
        CartClient.RELEASE, CheckoutClient.RECOVER, RuntimeSettingsVerticle.CURRENT);
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
    // the local addresses of domain events are derived from their types (hyphens and all), not written as constants
    for (EventType type : EventType.values()) {
      addresses.add(type.address());
    }
    return addresses;
  }
}
