package io.webstore.load;

import static io.gatling.javaapi.core.CoreDsl.crashLoadGeneratorIf;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.util.function.Function;

/** Steps shared by the simulations that are not requests. */
final class CoreChains {

  private CoreChains() {}

  /** Stops the whole run as failed when {@code condition} holds: the steps after it would measure nothing. */
  static ChainBuilder crashIf(String message, Function<Session, Boolean> condition) {
    return crashLoadGeneratorIf(message, condition);
  }
}
