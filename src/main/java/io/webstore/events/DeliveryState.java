package io.webstore.events;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where one event stands with one destination: {@code pending} (not delivered yet; {@code attempts} failed tries so
 * far), {@code sent} (at {@code sentAt}) or {@code parked} (given up after too many tries or refused for good; a retry
 * by an operator makes it pending again).
 */
record DeliveryState(State state, int attempts, Optional<String> lastError, Optional<Instant> sentAt) {

  enum State { PENDING, SENT, PARKED }

  static final DeliveryState NEW = new DeliveryState(State.PENDING, 0, Optional.empty(), Optional.empty());

  boolean finished() {
    return state != State.PENDING;
  }

  DeliveryState sent(Instant at) {
    return new DeliveryState(State.SENT, attempts + 1, lastError, Optional.of(at));
  }

  DeliveryState failed(String reason, boolean park) {
    return new DeliveryState(park ? State.PARKED : State.PENDING, attempts + 1, Optional.of(reason), Optional.empty());
  }

  DeliveryState requeued() {
    return new DeliveryState(State.PENDING, 0, lastError, Optional.empty());
  }

  String wire() {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }

  AttributeValue toAttribute() {
    Map<String, AttributeValue> map = new HashMap<>();
    map.put("state", AttributeValue.fromS(wire()));
    map.put("attempts", AttributeValue.fromN(Integer.toString(attempts)));
    lastError.ifPresent(error -> map.put("last_error", AttributeValue.fromS(error)));
    sentAt.ifPresent(at -> map.put("sent_at", AttributeValue.fromS(at.toString())));
    return AttributeValue.fromM(map);
  }

  static DeliveryState fromAttribute(AttributeValue value) {
    Map<String, AttributeValue> map = value.m();
    return new DeliveryState(State.valueOf(map.get("state").s().toUpperCase(java.util.Locale.ROOT)),
        Integer.parseInt(map.get("attempts").n()),
        Optional.ofNullable(map.get("last_error")).map(AttributeValue::s),
        Optional.ofNullable(map.get("sent_at")).map(at -> Instant.parse(at.s())));
  }
}
