package io.webstore.feeds;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.webstore.platform.kafka.ProducerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The dead-letter topics {@code <topic>.dlq}: a record that can never apply is written there with its original key and
 * bytes, and headers {@code reason}, {@code topic}, {@code partition} and {@code offset}. The producer is idempotent
 * with {@code acks=all}, so a dead letter is on every in-sync replica before the batch's offsets are committed, and
 * the producer's own retries add no duplicates. A send of the batch's letters that is retried sends only the letters
 * not acknowledged yet.
 */
final class DeadLetters {

  /** A record and why it can never apply ({@code schema: /sequence ...}). */
  record Letter(ConsumerRecord<byte[], byte[]> record, String reason) {}

  private final KafkaProducer<byte[], byte[]> producer;

  DeadLetters(Vertx vertx, String bootstrapServers, Duration timeout) {
    Map<String, String> config = ProducerSettings.idempotent(bootstrapServers, timeout,
        "org.apache.kafka.common.serialization.ByteArraySerializer");
    // each send's own future carries its failure; without a handler the client also reports it as unhandled
    this.producer = KafkaProducer.<byte[], byte[]>create(vertx, config).exceptionHandler(err -> { });
  }

  /**
   * Writes {@code pending} to {@code topic}; succeeds once every letter is acknowledged. The acknowledged ones leave
   * {@code pending}, so a call repeated after a failure writes only the rest.
   */
  Future<Void> write(String topic, List<Letter> pending) {
    List<Letter> sending = List.copyOf(pending);
    List<Future<Letter>> sends = new ArrayList<>();
    for (Letter letter : sending) {
      ConsumerRecord<byte[], byte[]> original = letter.record();
      KafkaProducerRecord<byte[], byte[]> record = KafkaProducerRecord.<byte[], byte[]>create(topic, original.key(),
              original.value())
          .addHeader("reason", letter.reason())
          .addHeader("topic", original.topic())
          .addHeader("partition", Integer.toString(original.partition()))
          .addHeader("offset", Long.toString(original.offset()));
      sends.add(producer.send(record).map(sent -> letter));
    }
    return Future.join(sends).transform(done -> {
      sends.stream().filter(Future::succeeded).map(Future::result).forEach(pending::remove);
      return pending.isEmpty()
          ? Future.<Void>succeededFuture()
          : Future.<Void>failedFuture(new IllegalStateException(pending.size() + " dead letters not written to "
              + topic + ": " + sends.stream().filter(Future::failed).findFirst().map(f -> f.cause().toString())
              .orElse("")));
    });
  }

  Future<Void> close() {
    return producer.close();
  }
}
