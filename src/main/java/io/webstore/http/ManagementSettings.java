package io.webstore.http;

import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;

/**
 * The {@code management} config section: the separate HTTP server of {@code /metrics} and the readiness details,
 * never exposed on the public API port.
 *
 * @param enabled whether the management server runs at all ({@code management.enabled})
 * @param host interface to listen on ({@code management.host})
 * @param port port to listen on ({@code management.port}; 0 = any free port, like {@code http.port})
 */
public record ManagementSettings(boolean enabled, String host, int port) {

  public static ManagementSettings from(WebstoreConfig config) {
    ConfigSection section = config.section("management");
    return new ManagementSettings(
        section.boolOrDefault("enabled", true),
        section.stringOrDefault("host", "0.0.0.0"),
        section.integerOrDefault("port", 9000, 0, 65535));
  }
}
