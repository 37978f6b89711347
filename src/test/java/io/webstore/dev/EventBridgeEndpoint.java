package io.webstore.dev;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * EventBridge for dev runs and tests: a small HTTP server on loopback that speaks {@code PutEvents} in the AWS JSON 1.1
 * protocol ({@code X-Amz-Target: AWSEvents.PutEvents}), so the store's EventBridge client talks to it as to AWS.
 *
 * <ul>
 *   <li>It keeps every entry it accepts ({@link #received}) and every call ({@link #calls}), and enforces PutEvents'
 *       limits: 1 to 10 entries and at most 256 KB per call (else the whole call is a 400 {@code ValidationException}),
 *       a {@code Detail} that is a JSON object (else the entry fails with {@code MalformedDetail}).</li>
 *   <li>It can be told to fail chosen entries ({@link #failEntries}: an error code in the answer, the others
 *       accepted) or whole calls ({@link #failCalls}: an HTTP error), each a number of times.</li>
 *   <li>Like a rule on the bus with an SQS target, it forwards each accepted entry whose source is not the store's
 *       ({@code anything-but} prefix {@link #STORE_SOURCE}) as an EventBridge event (its {@code detail} the entry's
 *       detail) to the inbound queue {@link #INBOUND_QUEUE} on the dev SQS engine, once the store created it.</li>
 * </ul>
 *
 * <p>Blocking: {@link #start} and {@link #stop} are called from a main or test thread; the rest is thread-safe.
 */
public final class EventBridgeEndpoint {

  private static final Logger log = LoggerFactory.getLogger(EventBridgeEndpoint.class);

  /** The queue a rule sends other services' events to (the store's {@code eventbridge.inboundQueue} default). */
  public static final String INBOUND_QUEUE = "webstore-inbound-events";
  /** The source prefix of the store's own events, which the rule does not forward ({@code eventbridge.source}). */
  public static final String STORE_SOURCE = "webstore";
  /** PutEvents' limits. */
  static final int MAX_ENTRIES = 10;
  static final int MAX_BYTES = 256 * 1024;

  /** An accepted entry, with the event id the endpoint answered for it. */
  public record Entry(String eventId, String eventBusName, String source, String detailType, String detail,
      Instant time) {

    /** The detail as JSON (the store's entries carry the CloudEvent here). */
    public JsonObject detailJson() {
      return new JsonObject(detail);
    }
  }

  /**
   * One PutEvents call as received: its entries (source, detail type, detail; accepted or not), their size as
   * EventBridge counts it, and the HTTP status answered.
   */
  public record Call(List<JsonObject> entries, int bytes, int status) {}

  /** A fault told to the endpoint: it applies as many times as it was given, or until closed. */
  public static final class Fault implements AutoCloseable {
    private final Predicate<JsonObject> entries;
    private final String errorCode;
    private final String message;
    private final int status;
    private final AtomicInteger remaining;
    private final List<Fault> owner;

    private Fault(Predicate<JsonObject> entries, String errorCode, String message, int status, int times,
        List<Fault> owner) {
      this.entries = entries;
      this.errorCode = errorCode;
      this.message = message;
      this.status = status;
      this.remaining = new AtomicInteger(times);
      this.owner = owner;
    }

    private boolean take(JsonObject entry) {
      return entries.test(entry) && remaining.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    /** How many times it has yet to apply. */
    public int remaining() {
      return remaining.get();
    }

    @Override
    public void close() {
      owner.remove(this);
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final SqsAsyncClient sqs;
  private final String inboundQueue;
  private final List<Entry> received = new CopyOnWriteArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Entry> forwarded = new CopyOnWriteArrayList<>();
  private final List<Fault> entryFaults = new CopyOnWriteArrayList<>();
  private final List<Fault> callFaults = new CopyOnWriteArrayList<>();
  private volatile String inboundQueueUrl;

  private EventBridgeEndpoint(Vertx vertx, HttpServer server, SqsAsyncClient sqs, String inboundQueue) {
    this.vertx = vertx;
    this.server = server;
    this.sqs = sqs;
    this.inboundQueue = inboundQueue;
  }

  /** Starts on a free loopback port, forwarding to {@code inboundQueue} on the SQS engine at {@code sqsEndpoint}. */
  static EventBridgeEndpoint start(URI sqsEndpoint, String inboundQueue) {
    Vertx vertx = Vertx.vertx();
    SqsAsyncClient sqs = SqsAsyncClient.builder()
        .endpointOverride(sqsEndpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dev", "dev")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .build();
    CompletableFuture<EventBridgeEndpoint> started = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer();
    EventBridgeEndpoint endpoint = new EventBridgeEndpoint(vertx, server, sqs, inboundQueue);
    server.requestHandler(endpoint::handle).listen(0, "127.0.0.1")
        .onSuccess(listening -> started.complete(endpoint))
        .onFailure(started::completeExceptionally);
    try {
      started.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      sqs.close();
      vertx.close();
      throw new IllegalStateException("devservices.eventbridge.failed " + e, e);
    }
    log.info("devservices.eventbridge.listening port={} inbound_queue={}", server.actualPort(), inboundQueue);
    return endpoint;
  }

  /** The endpoint for the store's {@code aws.eventbridgeEndpoint}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** Every entry accepted so far, in the order received. */
  public List<Entry> received() {
    return List.copyOf(received);
  }

  /** The accepted entries whose detail (the CloudEvent) has the event id {@code id}. */
  public List<Entry> receivedWithId(String id) {
    return received.stream().filter(entry -> id.equals(eventId(entry.detail()))).toList();
  }

  /** Every call so far, in the order received. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls that carried an entry whose detail has the event id {@code id}. */
  public List<Call> callsWithId(String id) {
    return calls.stream().filter(call -> call.entries().stream()
        .anyMatch(entry -> id.equals(eventId(entry.getString("Detail"))))).toList();
  }

  /** The entries forwarded to the inbound queue so far. */
  public List<Entry> forwarded() {
    return List.copyOf(forwarded);
  }

  /**
   * Fails the next {@code times} entries that match {@code which} (the request's entry: {@code Source},
   * {@code DetailType}, {@code Detail}, ...) with {@code errorCode} in the answer; the call's other entries are
   * accepted. {@link Integer#MAX_VALUE} fails them for good; close the fault to end it.
   */
  public Fault failEntries(Predicate<JsonObject> which, String errorCode, String message, int times) {
    Fault fault = new Fault(which, errorCode, message, 200, times, entryFaults);
    entryFaults.add(fault);
    return fault;
  }

  /** Fails entries whose CloudEvent id (in {@code Detail}) is one of {@code ids}, each {@code times} times. */
  public List<Fault> failEntriesWithIds(List<String> ids, String errorCode, int times) {
    return ids.stream().map(id -> failEntries(entry -> id.equals(eventId(entry.getString("Detail"))), errorCode,
        "failed on purpose by the dev endpoint", times)).toList();
  }

  /**
   * Fails the next {@code times} calls that carry an entry matching {@code which}, as a whole: HTTP {@code status}
   * with the error {@code errorType} ({@code InternalException} with 500 is retried by the SDK,
   * {@code ValidationException} with 400 is not).
   */
  public Fault failCalls(Predicate<JsonObject> which, int status, String errorType, int times) {
    Fault fault = new Fault(which, errorType, "failed on purpose by the dev endpoint", status, times, callFaults);
    callFaults.add(fault);
    return fault;
  }

  /** Ends every fault told so far. */
  public void clearFaults() {
    entryFaults.clear();
    callFaults.clear();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      if (!"AWSEvents.PutEvents".equals(request.getHeader("X-Amz-Target"))) {
        error(request, 400, "UnknownOperationException", "only PutEvents is served here, not "
            + request.getHeader("X-Amz-Target"));
        return;
      }
      JsonArray entries;
      try {
        entries = new JsonObject(body).getJsonArray("Entries", new JsonArray());
      } catch (DecodeException | ClassCastException e) {
        error(request, 400, "SerializationException", "the body is not a PutEvents request: " + e.getMessage());
        return;
      }
      List<JsonObject> requested = new ArrayList<>();
      int bytes = 0;
      for (int i = 0; i < entries.size(); i++) {
        JsonObject entry = entries.getJsonObject(i);
        requested.add(entry);
        bytes += size(entry);
      }
      if (requested.isEmpty() || requested.size() > MAX_ENTRIES) {
        calls.add(new Call(requested, bytes, 400));
        error(request, 400, "ValidationException", "1 validation error detected: 'entries' must have length "
            + "between 1 and 10 (got " + requested.size() + ")");
        return;
      }
      if (bytes > MAX_BYTES) {
        calls.add(new Call(requested, bytes, 400));
        error(request, 400, "ValidationException", "Total size of the entries in the request is over the limit ("
            + bytes + " bytes)");
        return;
      }
      for (Fault fault : callFaults) {
        if (requested.stream().anyMatch(fault::take)) {
          calls.add(new Call(requested, bytes, fault.status));
          error(request, fault.status, fault.errorCode, fault.message);
          return;
        }
      }
      calls.add(new Call(requested, bytes, 200));
      request.response().putHeader("Content-Type", "application/x-amz-json-1.1").end(answer(requested).encode());
    });
  }

  private JsonObject answer(List<JsonObject> requested) {
    JsonArray results = new JsonArray();
    int failed = 0;
    for (JsonObject entry : requested) {
      Fault fault = entryFaults.stream().filter(candidate -> candidate.take(entry)).findFirst().orElse(null);
      if (fault != null) {
        results.add(new JsonObject().put("ErrorCode", fault.errorCode).put("ErrorMessage", fault.message));
        failed++;
        continue;
      }
      if (!isJsonObject(entry.getString("Detail"))) {
        results.add(new JsonObject().put("ErrorCode", "MalformedDetail").put("ErrorMessage", "Detail is malformed."));
        failed++;
        continue;
      }
      Entry accepted = new Entry(UUID.randomUUID().toString(), entry.getString("EventBusName", "default"),
          entry.getString("Source"), entry.getString("DetailType"), entry.getString("Detail"), time(entry));
      received.add(accepted);
      results.add(new JsonObject().put("EventId", accepted.eventId()));
      // the store's CloudEvents sources are /webstore/<domain>
      if (accepted.source() != null && !accepted.source().startsWith(STORE_SOURCE)
          && !accepted.source().startsWith("/" + STORE_SOURCE)) {
        forward(accepted);
      }
    }
    return new JsonObject().put("FailedEntryCount", failed).put("Entries", results);
  }

  /** What a rule's SQS target delivers: the EventBridge event, its detail the entry's. */
  private void forward(Entry entry) {
    JsonObject event = new JsonObject()
        .put("version", "0")
        .put("id", entry.eventId())
        .put("detail-type", entry.detailType())
        .put("source", entry.source())
        .put("account", "000000000000")
        .put("time", (entry.time() == null ? Instant.now() : entry.time()).toString())
        .put("region", "us-east-1")
        .put("resources", new JsonArray())
        .put("detail", entry.detailJson());
    CompletableFuture<String> url = inboundQueueUrl != null
        ? CompletableFuture.completedFuture(inboundQueueUrl)
        : sqs.getQueueUrl(get -> get.queueName(inboundQueue)).thenApply(found -> inboundQueueUrl = found.queueUrl());
    url.thenCompose(queue -> sqs.sendMessage(send -> send.queueUrl(queue).messageBody(event.encode())))
        .whenComplete((sent, err) -> {
          if (err != null) {
            log.warn("devservices.eventbridge.forward_failed queue={} event={} error={}", inboundQueue,
                entry.eventId(), err.toString());
          } else {
            forwarded.add(entry);
          }
        });
  }

  private static void error(HttpServerRequest request, int status, String type, String message) {
    request.response().setStatusCode(status)
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("x-amzn-ErrorType", type)
        .end(new JsonObject().put("__type", type).put("message", message).encode());
  }

  /** An entry's size as EventBridge counts it. */
  private static int size(JsonObject entry) {
    int size = entry.getValue("Time") == null ? 0 : 14;
    size += utf8(entry.getString("Source")) + utf8(entry.getString("DetailType")) + utf8(entry.getString("Detail"));
    for (Object resource : entry.getJsonArray("Resources", new JsonArray())) {
      size += utf8(String.valueOf(resource));
    }
    return size;
  }

  private static int utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The JSON 1.1 protocol sends a timestamp as epoch seconds (a number, with a fraction). */
  private static Instant time(JsonObject entry) {
    Object time = entry.getValue("Time");
    if (time instanceof Number seconds) {
      return Instant.ofEpochMilli(Math.round(seconds.doubleValue() * 1000));
    }
    return time == null ? null : Instant.parse(time.toString());
  }

  private static boolean isJsonObject(String detail) {
    try {
      return detail != null && Json.decodeValue(detail) instanceof JsonObject;
    } catch (DecodeException e) {
      return false;
    }
  }

  /** The CloudEvent id in a detail, or null when it carries none. */
  private static String eventId(String detail) {
    try {
      return detail == null ? null : new JsonObject(detail).getString("id");
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** Stops the server and the SQS client. */
  void stop() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("devservices.eventbridge.stop_slow {}", e.toString());
    } finally {
      sqs.close();
    }
  }
}
