package io.webstore.platform.events;

import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import java.util.List;

/**
 * A place where events leave the process: the order management system's SQS FIFO queue, an EventBridge bus, a Kafka
 * topic. The outbox relay hands each destination the events routed to it, oldest first, and records one
 * {@link Delivery} per event.
 *
 * <p>An adapter owns its transport's rules (batch sizes, deduplication ids, partial failures, timeouts and a bounded
 * number of quick retries); the relay owns the durable state (pending, sent, parked, attempts, last error). The
 * returned future fails only when the call as a whole could not be made; a failure of some events is told per event.
 */
public interface EventDestination {

  /** The destination's stable name, used in the outbox state, the routing table, metrics and logs. */
  String name();

  /**
   * Publishes the events in the order given. At least once: consumers deduplicate by the event's {@code id}.
   *
   * @return one delivery per event, in the same order as {@code events}
   */
  Future<List<Delivery>> publish(List<CloudEvent> events);
}
