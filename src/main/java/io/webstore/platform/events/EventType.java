package io.webstore.platform.events;

import java.net.URI;
import java.util.Optional;

/**
 * Every type of domain event the store produces. The type is the CloudEvents {@code type}; inside the process the
 * event is published on the event bus at {@link #address()} ({@code events.order.placed}); its data is described by
 * the JSON Schema at {@code src/main/resources/}{@link #schemaResource()}.
 */
public enum EventType {
  ORDER_PLACED("webstore.order.placed"),
  ORDER_PAID("webstore.order.paid"),
  ORDER_CANCELLED("webstore.order.cancelled"),
  ORDER_STATUS_CHANGED("webstore.order.status-changed"),
  PAYMENT_AUTHORIZED("webstore.payment.authorized"),
  PAYMENT_DECLINED("webstore.payment.declined"),
  CUSTOMER_SIGNED_UP("webstore.customer.signed-up"),
  CUSTOMER_CONSENT_CHANGED("webstore.customer.consent-changed"),
  INVENTORY_LOW_STOCK("webstore.inventory.low-stock"),
  INVENTORY_SOLD_OUT("webstore.inventory.sold-out"),
  PRODUCT_CHANGED("webstore.product.changed");

  private static final String PREFIX = "webstore.";
  /** Where the schemas are published for consumers; the same files as under {@code src/main/resources/events/}. */
  private static final String SCHEMA_BASE = "https://schemas.webstore.example/events/";

  private final String type;

  EventType(String type) {
    this.type = type;
  }

  /** The CloudEvents {@code type}, e.g. {@code webstore.order.placed}. */
  public String type() {
    return type;
  }

  /** The local event-bus address: {@code events.} and the type without its {@code webstore.} prefix. */
  public String address() {
    return "events." + type.substring(PREFIX.length());
  }

  /** The classpath resource of the data's JSON Schema. */
  public String schemaResource() {
    return "events/" + type + ".json";
  }

  /** The CloudEvents {@code dataschema}. */
  public URI dataSchema() {
    return URI.create(SCHEMA_BASE + type + ".json");
  }

  /** The CloudEvents {@code source}: the part of the store that produces it, e.g. {@code /webstore/order}. */
  public URI source() {
    String rest = type.substring(PREFIX.length());
    return URI.create("/webstore/" + rest.substring(0, rest.indexOf('.')));
  }

  public static Optional<EventType> of(String type) {
    for (EventType candidate : values()) {
      if (candidate.type.equals(type)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
