package io.webstore.orders;

import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;

/**
 * The events of an order, derived from the order itself so that the store (which writes them into the order's
 * outbox) and the verticle (which publishes them on the local bus once written) make the same event: the id is
 * {@code <order id>:<version>}, stable across every retry of the write and of its publication.
 */
final class OrderEvents {

  private OrderEvents() {}

  /** {@code webstore.order.placed}: the whole order as the API shows it, and its customer. */
  static CloudEvent placed(Order order) {
    return Events.create(id(order), EventType.ORDER_PLACED, order.id(), order.createdAt(),
        OrderJson.view(order).put("customer_id", order.customerId()));
  }

  /** The event of a status change: {@code paid}, {@code cancelled}, or {@code status-changed} for the others. */
  static CloudEvent moved(Order moved, OrderStatus from) {
    EventType type = switch (moved.status()) {
      case PAID -> EventType.ORDER_PAID;
      case CANCELLED -> EventType.ORDER_CANCELLED;
      default -> EventType.ORDER_STATUS_CHANGED;
    };
    return Events.create(id(moved), type, moved.id(), moved.updatedAt(), new JsonObject()
        .put("order_id", moved.id())
        .put("customer_id", moved.customerId())
        .put("from", from.wire())
        .put("to", moved.status().wire())
        .put("at", Timestamps.format(moved.updatedAt())));
  }

  private static String id(Order order) {
    return order.id() + ":" + order.version();
  }
}
