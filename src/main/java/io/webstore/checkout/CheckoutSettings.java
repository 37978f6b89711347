package io.webstore.checkout;

import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code checkout} config section (every key optional).
 *
 * @param lease {@code checkout.leaseMs} (30000): how long a checkout owns its idempotency record without progress
 *     before recovery may take it over; longer than any checkout takes
 * @param holdTtl {@code checkout.holdTtlSeconds} (600): stock holds expire after this even if every instance died
 * @param replayWait {@code checkout.replayWaitMs} (8000): how long a request with the key of a checkout in progress
 *     waits for its answer before a 409 (below {@code http.requestTimeoutMs})
 * @param recoveryInterval {@code checkout.recoveryIntervalMs} (5000): how often unfinished checkouts are looked for
 * @param recoveryEnabled {@code checkout.recoveryEnabled} (true): false runs no periodic recovery in this process
 *     (the {@code checkout.recover} address still works)
 * @param callTimeout {@code checkout.callTimeoutMs} (5000): each event-bus call to cart, catalog, inventory, payment,
 *     orders
 * @param instances {@code checkout.instances} (0 = one per core): checkout verticles serving {@code checkout.place}
 * @param fraudTimeout {@code checkout.fraudTimeoutMs} (1000): how long the fraud screening of a payment may take
 *     (the fraud tier bounds its own Redis and remote calls well below this)
 * @param onFraudUnavailable {@code checkout.onFraudUnavailable} ({@code allow}): the decision taken when the fraud
 *     tier does not answer in time: {@code allow} (fail open), {@code review} (place, held for a person) or {@code
 *     block} (fail closed: 403)
 */
record CheckoutSettings(Duration lease, Duration holdTtl, Duration replayWait, Duration recoveryInterval,
    boolean recoveryEnabled, Duration callTimeout, int instances, Duration fraudTimeout,
    Decision onFraudUnavailable) {

  public static CheckoutSettings from(WebstoreConfig config) {
    ConfigSection section = config.section("checkout");
    int instances = section.integerOrDefault("instances", 0, 0, 64);
    return new CheckoutSettings(
        Duration.ofMillis(section.integerOrDefault("leaseMs", 30_000, 200, 3_600_000)),
        Duration.ofSeconds(section.integerOrDefault("holdTtlSeconds", 600, 10, 86_400)),
        Duration.ofMillis(section.integerOrDefault("replayWaitMs", 8_000, 0, 600_000)),
        Duration.ofMillis(section.integerOrDefault("recoveryIntervalMs", 5_000, 100, 3_600_000)),
        section.boolOrDefault("recoveryEnabled", true),
        Duration.ofMillis(section.integerOrDefault("callTimeoutMs", 5_000, 100, 60_000)),
        instances > 0 ? instances : Runtime.getRuntime().availableProcessors(),
        Duration.ofMillis(section.integerOrDefault("fraudTimeoutMs", 1_000, 10, 60_000)),
        Decision.valueOf(section.oneOfOrDefault("onFraudUnavailable", "allow", "allow", "review", "block")
            .toUpperCase(Locale.ROOT)));
  }
}
