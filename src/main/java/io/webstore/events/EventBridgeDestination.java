package io.webstore.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.events.Delivery;
import io.webstore.platform.events.EventDestination;
import io.webstore.platform.metrics.MeterCache;
import io.webstore.platform.resilience.Retries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts events on an EventBridge bus with {@code PutEvents}: one entry per event, its {@code Source} the event's source,
 * its {@code DetailType} the event's type and its {@code Detail} the whole CloudEvent as JSON (so consumers find the
 * event's {@code id} in {@code detail.id} and deduplicate by it).
 *
 * <p>Calls carry at most {@value #MAX_ENTRIES} entries and {@value #MAX_BYTES} bytes as EventBridge counts them; an
 * event larger than that alone fails for good. The batches of one {@link #publish} go one after the other, in the
 * order given. Entries that fail in a partially failed answer with a code worth retrying (throttling, an internal
 * error) are sent again, only they, with jittered backoff, a few quick times; the others are not sent again. An entry
 * that still fails is told {@code Failed} with its error code and message; the caller (the outbox relay) decides when
 * to park it. A call that fails as a whole (after the SDK's own retries) fails every entry not yet sent, retryable
 * unless the service refused the request itself; the returned future fails only when a call could not be started.
 *
 * <p>Counted as {@code webstore.events.destination.entries{destination=eventbridge, outcome}}: {@code published},
 * {@code retried} (an entry sent again) and {@code failed}; calls are timed as {@code webstore.events.eventbridge.calls}.
 */
final class EventBridgeDestination implements EventDestination {

  static final String NAME = "eventbridge";
  /** Entries per {@code PutEvents} call. */
  static final int MAX_ENTRIES = 10;
  /** Bytes per {@code PutEvents} call, counted as EventBridge counts them ({@link #size}). */
  static final int MAX_BYTES = 256 * 1024;

  static final String ENTRIES_METRIC = "webstore.events.destination.entries";
  private static final String CALLS_METRIC = "webstore.events.eventbridge.calls";
  /** Entry error codes that may go away when the entry is sent again. */
  private static final Set<String> RETRYABLE_CODES = Set.of("InternalFailure", "InternalException",
      "ThrottlingException", "ServiceUnavailable", "ServiceUnavailableException");

  private final Vertx vertx;
  private final EventBridgeAsyncClient client;
  private final EventBridgeSettings settings;
  private final MeterRegistry meters;
  private final Retries failedEntries;
  private final JsonFormat json = new JsonFormat();

  EventBridgeDestination(Vertx vertx, EventBridgeAsyncClient client, EventBridgeSettings settings,
      MeterRegistry meters) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.meters = meters;
    this.failedEntries = Retries.named("events.eventbridge.entries")
        .attempts(settings.retryAttempts())
        .backoff(settings.retryFirstBackoff(), settings.retryMaxBackoff())
        // only entries refused in an answer: a call that failed as a whole was already retried by the SDK
        .retryIf(err -> err instanceof EntriesStillFailing)
        .metered(meters)
        .build(vertx);
  }

  /** The destination on the process's EventBridge client and the {@code eventbridge} config section. */
  static EventBridgeDestination create(Services services) {
    return new EventBridgeDestination(services.vertx(), services.aws().eventBridge(),
        EventBridgeSettings.from(services.config()), services.meters());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<List<Delivery>> publish(List<CloudEvent> events) {
    Publication publication = new Publication(new Delivery[events.size()]);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      PutEventsRequestEntry entry;
      try {
        entry = entry(events.get(i));
      } catch (RuntimeException unwritable) { // data the JSON format cannot carry: no later try will do better
        publication.fail(i, new Delivery.Failed("Unserializable: " + unwritable.getMessage(), false));
        count("failed", 1);
        continue;
      }
      int size = size(entry);
      if (size > MAX_BYTES) {
        publication.fail(i, new Delivery.Failed("EntryTooLarge: " + size + " bytes, over the " + MAX_BYTES
            + " bytes of a PutEvents call", false));
        count("failed", 1);
      } else {
        entries.add(new Entry(i, entry, size));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (List<Entry> batch : batches(entries)) {
      chain = chain.compose(previous -> publication.callFailure == null
          ? send(batch, publication)
          : failAll(batch, publication, publication.callFailure)); // the bus is not answering: do not wait again
    }
    return chain.map(done -> List.of(publication.outcomes));
  }

  private static String sourceName(CloudEvent event) {
    String source = event.getSource().toString();
    return source.startsWith("/") ? source.substring(1) : source;
  }

  private PutEventsRequestEntry entry(CloudEvent event) {
    return PutEventsRequestEntry.builder()
        .eventBusName(settings.busName())
        // EventBridge sources are names (the rules match their prefix): /webstore/orders goes as webstore/orders
        .source(sourceName(event))
        .detailType(event.getType())
        .detail(new String(json.serialize(event), StandardCharsets.UTF_8))
        .time(event.getTime() == null ? null : event.getTime().toInstant())
        .build();
  }

  /** An entry's size as EventBridge counts it against the limit of a call. */
  static int size(PutEventsRequestEntry entry) {
    int size = entry.time() == null ? 0 : 14;
    size += utf8(entry.source()) + utf8(entry.detailType()) + utf8(entry.detail());
    for (String resource : entry.resources()) {
      size += utf8(resource);
    }
    return size;
  }

  private static int utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Consecutive batches, in order, each within the entries and bytes of one call. */
  static List<List<Entry>> batches(List<Entry> entries) {
    List<List<Entry>> batches = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    int bytes = 0;
    for (Entry entry : entries) {
      if (current.size() == MAX_ENTRIES || bytes + entry.size() > MAX_BYTES) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(entry);
      bytes += entry.size();
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  /** Sends one batch; entries refused with a retryable code are sent again, only they, until the attempts run out. */
  private Future<Void> send(List<Entry> batch, Publication publication) {
    List<Entry> unsent = new ArrayList<>(batch);
    int[] calls = {0};
    return failedEntries.<Void>run(() -> {
          if (calls[0]++ > 0) {
            count("retried", unsent.size());
          }
          List<Entry> sending = List.copyOf(unsent);
          return AwsFutures.timed(vertx, meters, CALLS_METRIC, "putEvents", () -> client.putEvents(put -> put
                  .entries(sending.stream().map(Entry::request).toList())))
              .compose(response -> {
                unsent.clear();
                unsent.addAll(settle(sending, response, publication));
                return unsent.isEmpty()
                    ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture(new EntriesStillFailing(unsent.size()));
              });
        })
        .recover(err -> {
          if (err instanceof EntriesStillFailing) {
            unsent.forEach(entry -> publication.fail(entry.index(), new Delivery.Failed(entry.error(), true)));
            count("failed", unsent.size());
            return Future.succeededFuture();
          }
          if (!(err instanceof SdkException)) {
            return Future.failedFuture(err); // the call could not be started at all (a closed client)
          }
          publication.callFailure = err;
          return failAll(unsent, publication, err);
        });
  }

  /**
   * Records what an answer says of each entry sent (its results come in the order of the request) and returns the
   * entries worth sending again, each carrying the error it got.
   */
  private List<Entry> settle(List<Entry> sent, PutEventsResponse response, Publication publication) {
    List<PutEventsResultEntry> results = response.entries();
    List<Entry> again = new ArrayList<>();
    int published = 0;
    int failed = 0;
    for (int i = 0; i < sent.size(); i++) {
      Entry entry = sent.get(i);
      PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
      if (result != null && result.errorCode() == null) {
        publication.outcomes[entry.index()] = Delivery.SENT;
        published++;
        continue;
      }
      String code = result == null ? "MissingResult" : result.errorCode();
      String error = code + ": " + (result == null ? "the answer has no result for this entry"
          : String.valueOf(result.errorMessage()));
      if (result == null || RETRYABLE_CODES.contains(code)) {
        again.add(entry.failedWith(error));
      } else {
        publication.fail(entry.index(), new Delivery.Failed(error, false));
        failed++;
      }
    }
    count("published", published);
    count("failed", failed);
    return again;
  }

  private Future<Void> failAll(List<Entry> entries, Publication publication, Throwable callFailure) {
    Delivery.Failed failed = new Delivery.Failed(describe(callFailure), retryable(callFailure));
    entries.forEach(entry -> publication.fail(entry.index(), failed));
    count("failed", entries.size());
    return Future.succeededFuture();
  }

  /** Whether a call that failed as a whole may succeed later: not when the service refused the request itself. */
  static boolean retryable(Throwable err) {
    if (err instanceof AwsServiceException service) {
      return service.isThrottlingException() || service.statusCode() >= 500 || service.retryable();
    }
    return err instanceof SdkClientException; // a timeout, a refused or broken connection
  }

  private static String describe(Throwable err) {
    if (err instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      return service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
    }
    return err.getClass().getSimpleName() + ": " + err.getMessage();
  }

  private void count(String outcome, int entries) {
    if (entries > 0) {
      MeterCache.of(meters).counter(ENTRIES_METRIC, "destination", NAME, "outcome", outcome).increment(entries);
    }
  }

  /** One event's entry, where it stands in the events given, its size and the error of its last call. */
  record Entry(int index, PutEventsRequestEntry request, int size, String error) {
    Entry(int index, PutEventsRequestEntry request, int size) {
      this(index, request, size, null);
    }

    Entry failedWith(String lastError) {
      return new Entry(index, request, size, lastError);
    }
  }

  /** The outcomes of one {@link #publish}, and the failure of a call that makes the rest not worth trying. */
  private static final class Publication {
    private final Delivery[] outcomes;
    private Throwable callFailure;

    Publication(Delivery[] outcomes) {
      this.outcomes = outcomes;
    }

    void fail(int index, Delivery.Failed failed) {
      outcomes[index] = failed;
    }
  }

  /** Entries an answer refused with a retryable code: another try, only for them. */
  private static final class EntriesStillFailing extends RuntimeException {
    EntriesStillFailing(int entries) {
      super(entries + " entries still failing", null, false, false);
    }
  }
}
