package io.webstore.checkout;

import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import java.nio.file.Path;

/**
 * The store's main for a child JVM whose checkout stops dead at {@code WEBSTORE_CHECKOUT_FAULT_STEP} ({@link
 * CheckoutFaults}); the test kills it, so it handles no signal.
 */
public final class CrashingStoreMain {

  private CrashingStoreMain() {}

  public static void main(String[] args) {
    WebStore.start(Path.of("conf"), System.getenv(), new JsonObject(),
            CheckoutFaults.features(CheckoutFaults.configured(System.getenv("WEBSTORE_CHECKOUT_FAULT_STEP"))))
        .onFailure(err -> System.exit(1));
  }
}
