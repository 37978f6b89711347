package io.webstore.cart;

import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Duration;

/**
 * The {@code cart} config section, every key optional with its default here.
 *
 * @param limits {@code maxQuantityPerLine} (10) and {@code maxLines} (50, at most 200: what one price request quotes)
 * @param sessionTtl {@code sessionTtlDays} (30): how long a guest session (and its cart) lives after it starts
 * @param cacheTtl {@code cacheTtlMs} (2000): how long this instance serves a cart it read without reading it again
 * @param cacheMaxEntries {@code cacheMaxEntries} (100000): carts and sessions each kept in memory at most
 * @param callTimeout {@code callTimeoutMs} (2000): wait for the catalog's quotes (HTTP handlers wait three times as
 *     long for the cart's own addresses)
 * @param defaultCurrency {@code defaultCurrency} ("USD"): the currency of an empty cart's zero subtotal
 * @param secureCookie {@code secureCookie} (true): the {@code sid} cookie is sent over HTTPS only
 * @param soldOutMemory {@code soldOutMemoryMs} (300, at most 60000; 0 = off): how long an add's finding that a SKU is
 *     sold out answers the next adds of it in this process ({@link SoldOutMemory}) unless a change of its stock is
 *     heard first
 */
record CartSettings(CartLimits limits, Duration sessionTtl, Duration cacheTtl, int cacheMaxEntries,
    Duration callTimeout, String defaultCurrency, boolean secureCookie, Duration soldOutMemory) {

  public static CartSettings from(WebstoreConfig config) {
    ConfigSection cart = config.section("cart");
    String currency = cart.stringOrDefault("defaultCurrency", "USD");
    if (!currency.matches("^[A-Z]{3}$")) {
      throw new ConfigException("cart.defaultCurrency must be an ISO 4217 code such as "
          + "USD (got " + currency + "; set it in conf/ or " + cart.envName("defaultCurrency") + ")");
    }
    return new CartSettings(
        new CartLimits(cart.integerOrDefault("maxQuantityPerLine", 10, 1, 10_000),
            cart.integerOrDefault("maxLines", 50, 1, 200)),
        Duration.ofDays(cart.integerOrDefault("sessionTtlDays", 30, 1, 365)),
        Duration.ofMillis(cart.integerOrDefault("cacheTtlMs", 2_000, 0, 60_000)),
        cart.integerOrDefault("cacheMaxEntries", 100_000, 0, 10_000_000),
        Duration.ofMillis(cart.integerOrDefault("callTimeoutMs", 2_000, 50, 60_000)),
        currency,
        cart.boolOrDefault("secureCookie", true),
        Duration.ofMillis(cart.integerOrDefault("soldOutMemoryMs", 300, 0, 60_000)));
  }
}
