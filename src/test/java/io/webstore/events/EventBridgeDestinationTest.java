package io.webstore.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.dev.EventBridgeEndpoint;
import io.webstore.platform.events.Delivery;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventBridgeDestination} through the store's real EventBridge client against the dev EventBridge endpoint,
 * which keeps what it accepts and fails what it is told to.
 */
@WebstoreTest
class EventBridgeDestinationTest {

  @Shared static WebStore store;

  private final EventBridgeEndpoint endpoint = Engines.shared().devServices().eventBridge();
  private SimpleMeterRegistry meters;
  private EventBridgeDestination destination;
  private Context context;

  @BeforeEach
  void destination() {
    meters = new SimpleMeterRegistry();
    destination = new EventBridgeDestination(store.vertx(), store.services().aws().eventBridge(),
        EventBridgeSettings.from(store.services().config()), meters);
    context = store.vertx().getOrCreateContext();
  }

  @AfterEach
  void clearFaults() {
    endpoint.clearFaults();
  }

  @Test
  void eachEventIsOneEntryCarryingTheCloudEventAsDetail() {
    CloudEvent event = event(200);

    assertThat(publish(List.of(event))).containsExactly(Delivery.SENT);

    List<EventBridgeEndpoint.Entry> received = endpoint.receivedWithId(event.getId());
    assertThat(received).hasSize(1);
    EventBridgeEndpoint.Entry entry = received.get(0);
    assertThat(entry.source()).isEqualTo(event.getSource().toString());
    assertThat(entry.detailType()).isEqualTo(event.getType());
    assertThat(entry.eventBusName()).isEqualTo("webstore-dev-events");
    assertThat(entry.time()).isEqualTo(event.getTime().toInstant());
    JsonObject detail = entry.detailJson();
    assertThat(detail.getString("id")).isEqualTo(event.getId());
    assertThat(detail.getString("specversion")).isEqualTo("1.0");
    assertThat(detail.getString("subject")).isEqualTo(event.getSubject());
    assertThat(detail.getJsonObject("data").getString("payload")).hasSize(200);
    assertThat(counted("published")).isEqualTo(1);
  }

  @Test
  void entriesFailedInAPartialAnswerAreRetriedAloneAndTheOthersSentOnce() {
    List<CloudEvent> events = events(10, 100);
    List<String> failing = List.of(events.get(1).getId(), events.get(4).getId(), events.get(8).getId());
    endpoint.failEntriesWithIds(failing, "ThrottlingException", 1);

    assertThat(publish(events)).hasSize(10).allMatch(Delivery.SENT::equals);

    for (CloudEvent event : events) {
      assertThat(endpoint.receivedWithId(event.getId())).as("event %s arrived once", event.getId()).hasSize(1);
      assertThat(endpoint.callsWithId(event.getId())).as("calls carrying %s", event.getId())
          .hasSize(failing.contains(event.getId()) ? 2 : 1);
    }
    EventBridgeEndpoint.Call retry = endpoint.callsWithId(failing.get(0)).get(1);
    assertThat(retry.entries()).extracting(entry -> new JsonObject(entry.getString("Detail")).getString("id"))
        .containsExactlyElementsOf(failing);
    assertThat(counted("published")).isEqualTo(10);
    assertThat(counted("retried")).isEqualTo(3);
    assertThat(counted("failed")).isZero();
  }

  @Test
  void anEntryThatKeepsFailingIsFailedWithItsReasonWhileTheOthersAreSent() {
    List<CloudEvent> events = events(5, 100);
    String throttled = events.get(2).getId();
    String refused = events.get(3).getId();
    endpoint.failEntriesWithIds(List.of(throttled), "InternalFailure", Integer.MAX_VALUE);
    endpoint.failEntriesWithIds(List.of(refused), "InvalidArgument", Integer.MAX_VALUE);

    List<Delivery> deliveries = publish(events);

    assertThat(deliveries.get(2)).isEqualTo(
        new Delivery.Failed("InternalFailure: failed on purpose by the dev endpoint", true));
    assertThat(deliveries.get(3)).isEqualTo(
        new Delivery.Failed("InvalidArgument: failed on purpose by the dev endpoint", false));
    assertThat(List.of(deliveries.get(0), deliveries.get(1), deliveries.get(4))).allMatch(Delivery.SENT::equals);
    assertThat(endpoint.callsWithId(throttled)).as("tries of the throttled entry: retryAttempts").hasSize(3);
    assertThat(endpoint.callsWithId(refused)).as("a refused entry is not sent again").hasSize(1);
    assertThat(endpoint.receivedWithId(throttled)).isEmpty();
    assertThat(endpoint.receivedWithId(events.get(4).getId())).hasSize(1);
    assertThat(counted("published")).isEqualTo(3);
    assertThat(counted("failed")).isEqualTo(2);
  }

  @Test
  void callsCarryAtMostTenEntriesInTheOrderGiven() {
    List<CloudEvent> events = events(25, 50);

    assertThat(publish(events)).hasSize(25).allMatch(Delivery.SENT::equals);

    assertThat(callSizes(events)).containsExactly(10, 10, 5);
    List<String> arrived = endpoint.received().stream().map(entry -> entry.detailJson().getString("id"))
        .filter(id -> events.stream().anyMatch(event -> event.getId().equals(id))).toList();
    assertThat(arrived).containsExactlyElementsOf(events.stream().map(CloudEvent::getId).toList());
  }

  @Test
  void callsStayWithin256KbAndAnEventLargerThanThatAloneFailsForGood() {
    List<CloudEvent> events = new java.util.ArrayList<>(events(5, 100_000));
    CloudEvent tooLarge = event(300_000);
    events.add(2, tooLarge);

    List<Delivery> deliveries = publish(events);

    assertThat(deliveries.get(2)).isInstanceOfSatisfying(Delivery.Failed.class, failed -> {
      assertThat(failed.reason()).startsWith("EntryTooLarge: ");
      assertThat(failed.retryable()).isFalse();
    });
    assertThat(deliveries).filteredOn(Delivery.SENT::equals).hasSize(5);
    assertThat(endpoint.callsWithId(tooLarge.getId())).isEmpty();
    List<CloudEvent> sent = events.stream().filter(event -> event != tooLarge).toList();
    assertThat(callSizes(sent)).containsExactly(2, 2, 1);
    assertThat(endpoint.calls()).allMatch(call -> call.bytes() <= EventBridgeDestination.MAX_BYTES);
  }

  @Test
  void aCallThatFailsAsAWholeFailsEveryEntryRetryablyAndTheRestIsNotTried() {
    List<CloudEvent> events = events(12, 100);
    String first = events.get(0).getId();
    endpoint.failCalls(entry -> entry.getString("Detail").contains(first), 500, "InternalException",
        Integer.MAX_VALUE);

    List<Delivery> deliveries = publish(events);

    assertThat(deliveries).hasSize(12).allSatisfy(delivery ->
        assertThat(delivery).isInstanceOfSatisfying(Delivery.Failed.class, failed -> {
          assertThat(failed.reason()).startsWith("InternalException: ");
          assertThat(failed.retryable()).isTrue();
        }));
    assertThat(endpoint.callsWithId(first)).as("the SDK's own attempts (aws.maxAttempts)").hasSize(3)
        .allMatch(call -> call.status() == 500);
    assertThat(endpoint.callsWithId(events.get(11).getId())).as("the second batch waits for the bus").isEmpty();
    assertThat(counted("failed")).isEqualTo(12);
  }

  @Test
  void aCallRefusedAsAWholeFailsItsEntriesForGood() {
    List<CloudEvent> events = events(2, 100);
    String first = events.get(0).getId();
    endpoint.failCalls(entry -> entry.getString("Detail").contains(first), 400, "AccessDeniedException", 1);

    assertThat(publish(events)).containsExactly(
        new Delivery.Failed("AccessDeniedException: failed on purpose by the dev endpoint", false),
        new Delivery.Failed("AccessDeniedException: failed on purpose by the dev endpoint", false));
  }

  private List<Integer> callSizes(List<CloudEvent> events) {
    List<String> ids = events.stream().map(CloudEvent::getId).toList();
    return endpoint.calls().stream()
        .filter(call -> call.entries().stream().anyMatch(entry -> ids.contains(
            new JsonObject(entry.getString("Detail")).getString("id"))))
        .map(call -> call.entries().size())
        .toList();
  }

  private List<Delivery> publish(List<CloudEvent> events) {
    Promise<List<Delivery>> published = Promise.promise();
    context.runOnContext(start -> destination.publish(events).onComplete(published));
    return Engines.await(published.future());
  }

  private double counted(String outcome) {
    var counter = meters.find(EventBridgeDestination.ENTRIES_METRIC).tag("destination", "eventbridge")
        .tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<CloudEvent> events(int count, int payloadChars) {
    return IntStream.range(0, count).mapToObj(i -> event(payloadChars)).toList();
  }

  /** A store event with a JSON payload of about {@code payloadChars} characters. */
  static CloudEvent event(int payloadChars) {
    String id = UUID.randomUUID().toString();
    JsonObject data = new JsonObject().put("orderId", "order-" + id).put("payload", "x".repeat(payloadChars));
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("webstore/test"))
        .withType("webstore.test.published")
        .withSubject("order-" + id)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS))
        .withData("application/json", data.encode().getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
