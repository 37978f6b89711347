package io.webstore.platform.events;

/** What became of one event handed to an {@link EventDestination}. */
public sealed interface Delivery {

  /** The destination accepted the event. */
  record Sent() implements Delivery {}

  /**
   * The destination did not take the event. {@code retryable} says whether trying again may help (throttling, a
   * timeout, an internal error) or not (the event is too large, malformed for the destination, refused by policy).
   */
  record Failed(String reason, boolean retryable) implements Delivery {}

  Delivery SENT = new Sent();
}
