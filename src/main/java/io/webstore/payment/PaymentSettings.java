package io.webstore.payment;

import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code payment} config section. The secrets ({@code httpSecret}, {@code webhookSecret}) come from the
 * environment ({@code WEBSTORE_PAYMENT_HTTP_SECRET}, {@code WEBSTORE_PAYMENT_WEBHOOK_SECRET}) in production and are
 * never logged; {@link #toString()} leaves them out.
 *
 * @param provider {@code sandbox} (default) or {@code http}
 * @param attemptTimeout {@code attemptTimeoutMs}: one provider attempt
 * @param attempts {@code attempts}: attempts of a retryable failure, the first included
 * @param breakerOpenFor {@code breakerOpenMs}: how long the breaker stays open
 * @param httpUrl {@code httpUrl}: the provider's base URL (provider {@code http})
 * @param webhookTolerance {@code webhookToleranceSeconds}: older webhook timestamps are refused
 */
record PaymentSettings(String provider, Duration attemptTimeout, int attempts, float breakerFailureRate,
    int breakerWindow, int breakerMinimumCalls, Duration breakerOpenFor, Optional<URI> httpUrl, String httpSecret,
    String webhookSecret, Duration webhookTolerance) {

  static PaymentSettings from(WebstoreConfig config) {
    ConfigSection section = config.section("payment");
    String provider = section.stringOrDefault("provider", "sandbox");
    if (!provider.equals("sandbox") && !provider.equals("http")) {
      throw new ConfigException("payment.provider must be sandbox or http (got " + provider + "; set it in conf/ or "
          + section.envName("provider") + ")");
    }
    PaymentSettings settings = new PaymentSettings(provider,
        Duration.ofMillis(section.integerOrDefault("attemptTimeoutMs", 1_000, 50, 60_000)),
        section.integerOrDefault("attempts", 3, 1, 10),
        section.integerOrDefault("breakerFailureRatePercent", 50, 1, 100),
        section.integerOrDefault("breakerWindow", 20, 1, 1_000),
        section.integerOrDefault("breakerMinimumCalls", 10, 1, 1_000),
        Duration.ofMillis(section.integerOrDefault("breakerOpenMs", 10_000, 100, 600_000)),
        section.optionalUri("httpUrl"),
        section.stringOrDefault("httpSecret", ""),
        section.stringOrDefault("webhookSecret", ""),
        Duration.ofSeconds(section.integerOrDefault("webhookToleranceSeconds", 300, 1, 3_600)));
    if (provider.equals("http") && (settings.httpUrl().isEmpty() || settings.httpSecret().isBlank())) {
      throw new ConfigException("payment.httpUrl and payment.httpSecret are required with payment.provider http "
          + "(set the secret in " + section.envName("httpSecret") + ")");
    }
    return settings;
  }

  @Override
  public String toString() {
    return "PaymentSettings[provider=" + provider + ", attemptTimeout=" + attemptTimeout + ", attempts=" + attempts
        + ", httpUrl=" + httpUrl + "]";
  }
}
