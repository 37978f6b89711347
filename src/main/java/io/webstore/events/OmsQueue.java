package io.webstore.events;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.events.Delivery;
import io.webstore.platform.events.EventDestination;
import io.webstore.platform.events.Events;
import io.webstore.platform.resilience.Retries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The order management system's SQS FIFO queue: {@code MessageGroupId} = the event's subject (the order id), so one
 * order's events stay in order; {@code MessageDeduplicationId} = the event id, so a republished event is dropped by
 * SQS within its five-minute deduplication window. Batches of up to 10 ({@code SendMessageBatch}); an entry that fails
 * in a batch is sent again alone, with bounded jittered retries, before it is reported failed. Call timeouts are the
 * SDK client's.
 */
final class OmsQueue implements EventDestination {

  static final String NAME = "oms";
  private static final int BATCH = 10;

  private final Vertx vertx;
  private final SqsAsyncClient sqs;
  private final String queueName;
  private final Retries alone;
  private Future<String> queueUrl;

  OmsQueue(Vertx vertx, SqsAsyncClient sqs, String queueName, MeterRegistry meters) {
    this.vertx = vertx;
    this.sqs = sqs;
    this.queueName = queueName;
    this.alone = Retries.named("events.oms.sendMessage").attempts(3)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .retryIf(err -> !(err instanceof SqsException sqsError) || sqsError.statusCode() >= 500
            || sqsError.isThrottlingException())
        .metered(meters)
        .build(vertx);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<List<Delivery>> publish(List<CloudEvent> events) {
    return url().compose(url -> {
      List<Delivery> deliveries = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (int from = 0; from < events.size(); from += BATCH) {
        List<CloudEvent> batch = events.subList(from, Math.min(events.size(), from + BATCH));
        chain = chain.compose(previous -> sendBatch(url, batch).map(results -> {
          deliveries.addAll(results);
          return null;
        }));
      }
      return chain.map(done -> deliveries);
    });
  }

  private Future<String> url() {
    if (queueUrl == null || queueUrl.failed()) {
      queueUrl = AwsFutures.on(vertx, sqs.getQueueUrl(get -> get.queueName(queueName))).map(found -> found.queueUrl());
    }
    return queueUrl;
  }

  private Future<List<Delivery>> sendBatch(String url, List<CloudEvent> batch) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      CloudEvent event = batch.get(i);
      entries.add(SendMessageBatchRequestEntry.builder()
          .id(Integer.toString(i))
          .messageBody(Events.encode(event))
          .messageGroupId(event.getSubject())
          .messageDeduplicationId(event.getId())
          .build());
    }
    return AwsFutures.on(vertx, sqs.sendMessageBatch(send -> send.queueUrl(url).entries(entries)))
        .compose(response -> {
          Map<Integer, BatchResultErrorEntry> failed = new HashMap<>();
          response.failed().forEach(error -> failed.put(Integer.parseInt(error.id()), error));
          List<Future<Delivery>> results = new ArrayList<>();
          for (int i = 0; i < batch.size(); i++) {
            BatchResultErrorEntry error = failed.get(i);
            results.add(error == null ? Future.succeededFuture(Delivery.SENT)
                : sendAlone(url, entries.get(i), error));
          }
          return Future.join(results).map(done -> results.stream().map(Future::result).toList());
        });
  }

  /** An entry that failed in its batch, sent again alone (a sender's fault, such as a malformed entry, is final). */
  private Future<Delivery> sendAlone(String url, SendMessageBatchRequestEntry entry, BatchResultErrorEntry error) {
    if (Boolean.TRUE.equals(error.senderFault())) {
      return Future.succeededFuture(new Delivery.Failed(error.code() + ": " + error.message(), false));
    }
    return alone.run(() -> AwsFutures.on(vertx, sqs.sendMessage(send -> send.queueUrl(url)
            .messageBody(entry.messageBody())
            .messageGroupId(entry.messageGroupId())
            .messageDeduplicationId(entry.messageDeduplicationId()))))
        .<Delivery>map(sent -> Delivery.SENT)
        .otherwise(err -> new Delivery.Failed(err.toString(), true));
  }
}
