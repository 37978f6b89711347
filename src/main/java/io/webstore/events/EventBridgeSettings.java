package io.webstore.events;

import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Duration;

/**
 * The {@code eventbridge} config section (every key optional; the endpoint override is {@code aws.eventbridgeEndpoint},
 * beside the other AWS endpoints).
 *
 * @param busName {@code eventbridge.busName} ({@code default}): the bus the store's events are put on
 * @param source {@code eventbridge.source} ({@code webstore}): the source of the store's own events, or its prefix
 *     ({@code webstore/orders} and the CloudEvents source {@code /webstore/orders} are the store's too); an inbound event from such a source is not put on the local bus
 * @param retryAttempts {@code eventbridge.retryAttempts} (3): calls for an entry that failed in a partially failed
 *     answer (the first call included), before it is reported failed to the caller
 * @param retryFirstBackoff {@code eventbridge.retryFirstBackoffMs} (50): the first wait before such a retry, doubling
 *     with jitter up to {@code retryMaxBackoff}
 * @param retryMaxBackoff {@code eventbridge.retryMaxBackoffMs} (1000)
 * @param inboundEnabled {@code eventbridge.inboundEnabled} (true): consume the inbound queue
 * @param inboundQueue {@code eventbridge.inboundQueue} ({@code webstore-inbound-events}): the SQS queue a rule on the
 *     bus fills with other services' events; its dead-letter queue is this name with {@code -dlq}
 * @param inboundWaitSeconds {@code eventbridge.inboundWaitSeconds} (20): long-polling wait of one receive
 * @param inboundVisibilitySeconds {@code eventbridge.inboundVisibilitySeconds} (30): how long a received message is
 *     hidden from other consumers while it is handled
 * @param inboundRetrySeconds {@code eventbridge.inboundRetrySeconds} (30): when a message that could not be taken
 *     (malformed) is received again
 * @param inboundMaxReceives {@code eventbridge.inboundMaxReceives} (5): receives after which the queue moves a
 *     message that was never deleted to the dead-letter queue (the redrive policy set when the queue is created)
 */
record EventBridgeSettings(String busName, String source, int retryAttempts, Duration retryFirstBackoff,
    Duration retryMaxBackoff, boolean inboundEnabled, String inboundQueue, int inboundWaitSeconds,
    int inboundVisibilitySeconds, int inboundRetrySeconds, int inboundMaxReceives) {

  static EventBridgeSettings from(WebstoreConfig config) {
    ConfigSection section = config.section("eventbridge");
    return new EventBridgeSettings(
        section.stringOrDefault("busName", "default"),
        section.stringOrDefault("source", "webstore"),
        section.integerOrDefault("retryAttempts", 3, 1, 10),
        Duration.ofMillis(section.integerOrDefault("retryFirstBackoffMs", 50, 1, 60_000)),
        Duration.ofMillis(section.integerOrDefault("retryMaxBackoffMs", 1_000, 1, 60_000)),
        section.boolOrDefault("inboundEnabled", true),
        section.stringOrDefault("inboundQueue", "webstore-inbound-events"),
        section.integerOrDefault("inboundWaitSeconds", 20, 0, 20),
        section.integerOrDefault("inboundVisibilitySeconds", 30, 1, 43_200),
        section.integerOrDefault("inboundRetrySeconds", 30, 0, 43_200),
        section.integerOrDefault("inboundMaxReceives", 5, 1, 1_000));
  }

  /** The inbound queue's dead-letter queue. */
  String inboundDeadLetterQueue() {
    return inboundQueue + "-dlq";
  }

  /** Whether {@code eventSource} is the store's own ({@link #source} or under it). */
  boolean ownSource(String eventSource) {
    // the store's CloudEvents name a URI reference source, /webstore/<domain>: the leading slash is not the name
    String name = eventSource.startsWith("/") ? eventSource.substring(1) : eventSource;
    return name.equals(source) || name.startsWith(source + "/")
        || name.startsWith(source + ".") || name.startsWith(source + ":");
  }
}
