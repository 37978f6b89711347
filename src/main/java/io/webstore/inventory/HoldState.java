package io.webstore.inventory;

/** States of a durable hold record. Expiry is not a state: an open record past its expiry is read as expired. */
enum HoldState {
  OPEN, COMMITTING, COMMITTED, RELEASED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static HoldState fromWire(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
