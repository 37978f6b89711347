package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.dev.EventBridgeEndpoint;
import io.webstore.testing.ContractViolations;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The inbound half of the bridge on the shared store (the one consumer of the inbound queue in the test JVM): an event
 * another service puts on the bus (through the dev EventBridge endpoint, whose rule forwards foreign sources to the
 * inbound queue) reaches a subscriber of the store's event bus at {@code events.<type>}.
 *
 * <p>A foreign type has no declaration in {@code src/main/resources/bus/} (the store declares what it sends, and no
 * code of the store subscribes to these test types), so each publication is recorded as a contract violation; the
 * tests take exactly those, which also shows the inbound verticle published on the store's own bus.
 */
@WebstoreTest
class InboundEventsTest {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);

  @Shared static WebStore store;

  private final EventBridgeEndpoint endpoint = Engines.shared().devServices().eventBridge();
  private final JsonFormat json = new JsonFormat();

  @Test
  void anEventPutOnTheBusByAnotherServiceReachesTheLocalEventBus() {
    String type = "partner.parcel.delivered";
    List<JsonObject> seen = subscribe(type);
    CloudEvent event = foreignEvent(type, "partner/shipping");

    PutEventsResponse answer = Engines.await(io.vertx.core.Future.fromCompletionStage(eventBridge().putEvents(put -> put
        .entries(entry -> entry.eventBusName("webstore-dev-events").source("partner.shipping")
            .detailType(type).detail(new String(json.serialize(event), StandardCharsets.UTF_8))))));
    assertThat(answer.failedEntryCount()).isZero();

    JsonObject arrived = Deadline.until("the event on events." + type, ARRIVAL,
        () -> seen.stream().filter(body -> event.getId().equals(body.getString("id"))).findFirst().orElse(null));
    assertThat(arrived.getString("type")).isEqualTo(type);
    assertThat(arrived.getString("source")).isEqualTo("partner/shipping");
    assertThat(arrived.getJsonObject("data").getString("parcel")).isEqualTo("parcel-" + event.getId());
    assertThat(ContractViolations.take("bus events." + type + ":")).isNotEmpty();
  }

  @Test
  void theStoresOwnEventsAreNotPutBackOnTheLocalBus() {
    String type = "webstore.test.echoed";
    List<JsonObject> seen = subscribe(type);
    double ownBefore = inboundCount("own");
    CloudEvent own = foreignEvent(type, "webstore/orders");

    sendToInboundQueue(new String(json.serialize(own), StandardCharsets.UTF_8));

    Deadline.await("the store's own event taken off the inbound queue", ARRIVAL, () -> inboundCount("own") > ownBefore);
    assertThat(seen).isEmpty();
    assertThat(ContractViolations.take("bus events." + type + ":")).isEmpty();
  }

  @Test
  void aMalformedMessageGoesToTheDeadLetterQueueAndTheConsumerGoesOn() {
    String type = "partner.parcel.returned";
    List<JsonObject> seen = subscribe(type);
    String malformed = "not a cloud event " + UUID.randomUUID();
    sendToInboundQueue(malformed);
    CloudEvent event = foreignEvent(type, "partner/shipping");

    sendToInboundQueue(new String(json.serialize(event), StandardCharsets.UTF_8));

    Deadline.await("the event after the malformed message on events." + type, ARRIVAL,
        () -> seen.stream().anyMatch(body -> event.getId().equals(body.getString("id"))));
    SqsAsyncClient sqs = store.services().aws().sqs();
    String dlq = sqs.getQueueUrl(get -> get.queueName(EventBridgeEndpoint.INBOUND_QUEUE + "-dlq")).join().queueUrl();
    Message deadLetter = Deadline.until("the malformed message in the dead-letter queue", ARRIVAL,
        () -> sqs.receiveMessage(receive -> receive.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).join()
            .messages().stream().filter(message -> message.body().equals(malformed)).findFirst().orElse(null));
    sqs.deleteMessage(delete -> delete.queueUrl(dlq).receiptHandle(deadLetter.receiptHandle())).join();
    assertThat(inboundCount("malformed")).isGreaterThanOrEqualTo(3); // received inboundMaxReceives times
    assertThat(ContractViolations.take("bus events." + type + ":")).isNotEmpty();
  }

  private List<JsonObject> subscribe(String type) {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = store.vertx().eventBus()
        .consumer(InboundEventsVerticle.ADDRESS_PREFIX + type, message -> seen.add(message.body()));
    Engines.await(consumer.completion());
    return seen;
  }

  private void sendToInboundQueue(String body) {
    SqsAsyncClient sqs = store.services().aws().sqs();
    String queue = sqs.getQueueUrl(get -> get.queueName(EventBridgeEndpoint.INBOUND_QUEUE)).join().queueUrl();
    sqs.sendMessage(send -> send.queueUrl(queue).messageBody(body)).join();
  }

  private EventBridgeAsyncClient eventBridge() {
    return store.services().aws().eventBridge(); // the real SDK client, pointed at the dev endpoint
  }

  private double inboundCount(String outcome) {
    var counter = store.services().meters().find("webstore.events.inbound.messages").tag("outcome", outcome)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private static CloudEvent foreignEvent(String type, String source) {
    String id = UUID.randomUUID().toString();
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create(source))
        .withType(type)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withData("application/json", new JsonObject().put("parcel", "parcel-" + id).encode()
            .getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
