package io.webstore.load;

import java.time.Duration;

/**
 * What a run is told from the command line ({@code make load ... USERS= DURATION=} become {@code -Dusers=} and
 * {@code -Dduration=}); each simulation supplies its own defaults, sized for a laptop. The admin's password comes
 * from the environment, {@code WEBSTORE_ADMIN_PASSWORD}, as the store takes it.
 */
record LoadSettings(String baseUrl, int users, Duration duration, String adminEmail, String adminPassword) {

  static LoadSettings read(int defaultUsers, int defaultSeconds) {
    return new LoadSettings(
        text("baseUrl", "http://localhost:8080").replaceAll("/+$", ""),
        number("users", defaultUsers),
        Duration.ofSeconds(number("duration", defaultSeconds)),
        text("adminEmail", "admin@webstore.local"),
        System.getenv().getOrDefault("WEBSTORE_ADMIN_PASSWORD", ""));
  }

  /** A whole number from {@code -D<name>=}, or its default when unset or blank. */
  static int number(String name, int fallback) {
    String value = System.getProperty(name, "").trim();
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 1) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number above 0 (got " + value + ")");
    }
  }

  static String text(String name, String fallback) {
    String value = System.getProperty(name, "").trim();
    return value.isEmpty() ? fallback : value;
  }

  @Override
  public String toString() { // never the admin password
    return "baseUrl=" + baseUrl + " users=" + users + " duration=" + duration.toSeconds() + "s";
  }
}
