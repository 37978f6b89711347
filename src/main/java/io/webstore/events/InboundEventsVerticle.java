package io.webstore.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.metrics.MeterCache;
import io.webstore.platform.resilience.Retries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The inbound half of the EventBridge bridge: other services' events, which a rule on the bus sends to an SQS queue,
 * are put on this process's event bus at {@code events.<type>}.
 *
 * <p>One long-polling loop receives up to ten messages at a time. A message is the CloudEvent as JSON, or an
 * EventBridge event whose {@code detail} is the CloudEvent (what a rule's SQS target delivers); what is published is
 * the CloudEvent as JSON. A message is deleted only after its event was published (SQS delivers at least once:
 * subscribers deduplicate by the event's {@code id}). An event whose source is the store's own is deleted without
 * being published (the store's verticles had it first-hand). A message that is not a valid CloudEvent is left on the
 * queue, to be received again after {@code eventbridge.inboundRetrySeconds}, until the queue's redrive policy moves it
 * to the dead-letter queue; the loop goes on with the others. Receive failures are retried with backoff for as long as
 * the verticle runs.
 *
 * <p>Counted as {@code webstore.events.inbound.messages{outcome}}: {@code published}, {@code own}, {@code malformed}.
 */
final class InboundEventsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InboundEventsVerticle.class);

  /** Where an event of type {@code t} is published: {@code events.t}. */
  static final String ADDRESS_PREFIX = "events.";
  private static final String METRIC = "webstore.events.inbound.messages";
  /** Beyond the long poll's wait, for the answer to come back. */
  private static final Duration POLL_MARGIN = Duration.ofSeconds(5);

  private final SqsAsyncClient sqs;
  private final EventBridgeSettings settings;
  private final MeterRegistry meters;
  private final JsonFormat json = new JsonFormat();
  private Retries receiving;
  private String queueUrl;
  private boolean stopping;

  InboundEventsVerticle(SqsAsyncClient sqs, EventBridgeSettings settings, MeterRegistry meters) {
    this.sqs = sqs;
    this.settings = settings;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    receiving = Retries.named("events.inbound.receive")
        .attempts(Integer.MAX_VALUE) // until the verticle stops: the queue is not on the serving path
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(10))
        .retryIf(err -> !stopping)
        .beforeRetry((attempt, err, backoffMs) -> {
          log.warn("events.inbound.receive_failed queue={} attempt={} retry_in_ms={} error={}",
              settings.inboundQueue(), attempt, backoffMs, err.toString());
          return backoffMs;
        })
        .metered(meters)
        .build(vertx);
    log.info("events.inbound.started queue={} wait_s={}", settings.inboundQueue(), settings.inboundWaitSeconds());
    poll();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    // a receive in flight ends within its wait; what it brought is not handled and comes back after its visibility
    stopping = true;
    return Future.succeededFuture();
  }

  private void poll() {
    if (stopping) {
      return;
    }
    receiving.run(this::receive)
        .compose(this::handleAll)
        .onComplete(done -> {
          if (done.failed() && !stopping) {
            log.error("events.inbound.poll_failed queue={} error={}", settings.inboundQueue(), done.cause().toString());
          }
          poll();
        });
  }

  private Future<ReceiveMessageResponse> receive() {
    Duration callTimeout = Duration.ofSeconds(settings.inboundWaitSeconds()).plus(POLL_MARGIN);
    return queueUrl().compose(url -> AwsFutures.timed(vertx, meters, "webstore.events.inbound.sqs.calls",
        "receiveMessage", () -> sqs.receiveMessage(receive -> receive
            .queueUrl(url)
            .maxNumberOfMessages(10)
            .waitTimeSeconds(settings.inboundWaitSeconds())
            .visibilityTimeout(settings.inboundVisibilitySeconds())
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
            // a long poll outlasts the client's call timeouts, which are made for quick calls
            .overrideConfiguration(call -> call.apiCallTimeout(callTimeout).apiCallAttemptTimeout(callTimeout)))));
  }

  private Future<String> queueUrl() {
    if (queueUrl != null) {
      return Future.succeededFuture(queueUrl);
    }
    return AwsFutures.on(vertx, sqs.getQueueUrl(get -> get.queueName(settings.inboundQueue())))
        .map(found -> queueUrl = found.queueUrl());
  }

  private Future<Void> handleAll(ReceiveMessageResponse received) {
    if (stopping) {
      return Future.succeededFuture();
    }
    List<Future<Void>> handled = received.messages().stream().map(this::handle).toList();
    return Future.join(handled).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> handle(Message message) {
    Optional<CloudEvent> parsed = parse(message.body());
    if (parsed.isEmpty()) {
      count("malformed");
      log.warn("events.inbound.malformed message={} receives={} retry_in_s={}", message.messageId(),
          message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT),
          settings.inboundRetrySeconds());
      // not deleted: it comes back after the retry delay, and the redrive policy moves it to the dead-letter queue
      return AwsFutures.on(vertx, sqs.changeMessageVisibility(change -> change.queueUrl(queueUrl)
              .receiptHandle(message.receiptHandle()).visibilityTimeout(settings.inboundRetrySeconds())))
          .<Void>mapEmpty()
          .onFailure(err -> log.warn("events.inbound.visibility_failed message={} error={}", message.messageId(),
              err.toString()));
    }
    CloudEvent event = parsed.get();
    if (settings.ownSource(event.getSource().toString())) {
      count("own");
    } else {
      JsonObject body = new JsonObject(new String(json.serialize(event), StandardCharsets.UTF_8));
      vertx.eventBus().publish(ADDRESS_PREFIX + event.getType(), body);
      count("published");
      log.debug("events.inbound.published type={} id={}", event.getType(), event.getId());
    }
    return AwsFutures.on(vertx, sqs.deleteMessage(delete -> delete.queueUrl(queueUrl)
            .receiptHandle(message.receiptHandle())))
        .<Void>mapEmpty()
        .onFailure(err -> log.warn("events.inbound.delete_failed message={} error={}", message.messageId(),
            err.toString()));
  }

  /** The CloudEvent a message carries, itself or as an EventBridge event's {@code detail}; empty when malformed. */
  private Optional<CloudEvent> parse(String body) {
    try {
      JsonObject message = new JsonObject(body);
      Object detail = message.getValue("detail");
      JsonObject candidate = message.containsKey("detail-type") && detail instanceof JsonObject envelope
          ? envelope
          : message;
      CloudEvent event = json.deserialize(candidate.toBuffer().getBytes());
      return event.getType().isBlank() ? Optional.empty() : Optional.of(event);
    } catch (RuntimeException malformed) { // not JSON, not a CloudEvent, or one missing a required attribute
      return Optional.empty();
    }
  }

  private void count(String outcome) {
    MeterCache.of(meters).counter(METRIC, "outcome", outcome).increment();
  }
}
