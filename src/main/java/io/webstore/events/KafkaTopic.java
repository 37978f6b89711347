package io.webstore.events;

import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.webstore.platform.events.Delivery;
import io.webstore.platform.events.EventDestination;
import io.webstore.platform.events.Events;
import io.webstore.platform.kafka.ProducerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Kafka (MSK) topic {@code webstore.events} for analytics and the ETL: key = the event's subject, so one order's
 * events keep their order on one partition; the event id in the header {@code ce_id} (and the type in {@code
 * ce_type}) for consumers that deduplicate; an idempotent producer ({@code enable.idempotence=true}, {@code
 * acks=all}), so the producer's own retries add no duplicates. Every send is bounded by {@code delivery.timeout.ms}
 * and {@code max.block.ms}. When every record of a call fails retryably, the broker is taken as down and the call
 * fails as a whole (the relay then counts no attempt against the events).
 */
final class KafkaTopic implements EventDestination {

  static final String NAME = "kafka";

  private final KafkaProducer<String, String> producer;
  private final String topic;

  KafkaTopic(Vertx vertx, String bootstrapServers, String topic, Duration timeout) {
    this.topic = topic;
    Map<String, String> config = ProducerSettings.idempotent(bootstrapServers, timeout,
        "org.apache.kafka.common.serialization.StringSerializer");
    // each send's own future carries its failure to the relay; without a handler the client also reports every
    // failed send as an unhandled exception (one ERROR line per record while the broker is down)
    this.producer = KafkaProducer.<String, String>create(vertx, config).exceptionHandler(err -> { });
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<List<Delivery>> publish(List<CloudEvent> events) {
    List<Future<Delivery>> sends = events.stream().map(event -> producer.send(
            KafkaProducerRecord.create(topic, event.getSubject(), Events.encode(event))
                .addHeader("ce_id", event.getId())
                .addHeader("ce_type", event.getType()))
        .<Delivery>map(sent -> Delivery.SENT)
        .otherwise(err -> new Delivery.Failed(err.toString(), retryable(err))))
        .toList();
    return Future.join(sends).compose(done -> {
      List<Delivery> deliveries = sends.stream().map(Future::result).toList();
      boolean allFailedRetryably = !deliveries.isEmpty() && deliveries.stream()
          .allMatch(delivery -> delivery instanceof Delivery.Failed failed && failed.retryable());
      return allFailedRetryably
          ? Future.failedFuture(new IllegalStateException("kafka unavailable: "
              + ((Delivery.Failed) deliveries.get(0)).reason()))
          : Future.succeededFuture(deliveries);
    });
  }

  Future<Void> close() {
    return producer.close();
  }

  /** Only what no retry can fix is final: a record too large, one that cannot be serialized, a bad topic. */
  private static boolean retryable(Throwable err) {
    return !(err instanceof RecordTooLargeException || err instanceof SerializationException
        || err instanceof InvalidTopicException);
  }
}
