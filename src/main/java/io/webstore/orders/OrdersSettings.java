package io.webstore.orders;

import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Duration;

/**
 * The {@code orders} config section (every key optional).
 *
 * @param compensationInterval {@code orders.compensationIntervalMs} (5000): how often released orders still owing
 *     their stock, payment void or sale allowance are looked for
 * @param compensationGrace {@code orders.compensationGraceMs} (10000): how old such an order must be, so the scan does
 *     not race the request that released it
 * @param callTimeout {@code orders.callTimeoutMs} (5000): event-bus calls to payment and inventory
 */
record OrdersSettings(Duration compensationInterval, Duration compensationGrace, Duration callTimeout) {

  public static OrdersSettings from(WebstoreConfig config) {
    ConfigSection section = config.section("orders");
    return new OrdersSettings(
        Duration.ofMillis(section.integerOrDefault("compensationIntervalMs", 5_000, 100, 3_600_000)),
        Duration.ofMillis(section.integerOrDefault("compensationGraceMs", 10_000, 0, 3_600_000)),
        Duration.ofMillis(section.integerOrDefault("callTimeoutMs", 5_000, 100, 60_000)));
  }
}
