package io.webstore.fraud;

import java.util.Locale;

/** What is being scored. */
public enum FraudEvent {
  /** A login attempt, scored before the credentials are checked. */
  LOGIN,
  /** A payment authorization at checkout. */
  PAYMENT;

  /** The name on the bus and in metrics and runtime settings ({@code login}, {@code payment}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static FraudEvent fromWire(String name) {
    for (FraudEvent event : values()) {
      if (event.wireName().equals(name)) {
        return event;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
