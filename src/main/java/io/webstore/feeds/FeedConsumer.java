package io.webstore.feeds;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.platform.resilience.Retries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one feed topic and hands its records to the feature that owns them ({@code <feature>.feed}), one batch at a
 * time:
 *
 * <ol>
 *   <li>poll a batch ({@code max.poll.records} = {@code feeds.batchSize}), then pause every owned partition while the
 *       batch is in flight, polling on (paused partitions return nothing) so the group keeps this member;
 *   <li>parse each record: not JSON or not of the topic's JSON Schema → dead letter;
 *   <li>send the valid ones in order, in chunks of {@code feeds.chunkSize}, to the owner; a failed or late reply sends
 *       the chunk again after a backoff, for as long as it takes: nothing is skipped, nothing is committed past it;
 *   <li>write the rejected records to {@code <topic>.dlq} (acknowledged by all in-sync replicas);
 *   <li>commit the batch's offsets, only for partitions still owned since the batch was polled (a partition revoked
 *       meanwhile is another member's now: its records are replayed there, and applying is idempotent by sequence);
 *   <li>resume.
 * </ol>
 *
 * <p>Memory is bounded by one batch (plus the client's fetch buffer) whatever the input rate: a slow owner only makes
 * the partitions stay paused longer. Records polled while a batch is in flight (a partition assigned meanwhile, which
 * is not paused) are not kept: the partition is moved back to them and paused.
 */
final class FeedConsumer extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(FeedConsumer.class);

  private final FeedsConfig config;
  private final FeedsConfig.Topic topic;
  private final String address;
  private final String bootstrapServers;
  private final FeedMeters meters;
  private final MeterRegistry registry;

  /** Owned partitions and the assignment each was owned under; a batch commits a partition only under the same. */
  private final Map<TopicPartition, Long> owned = new HashMap<>();
  private long assignments;
  private boolean inFlight;
  private boolean stopping;
  private long lagTimer = -1;
  private RecordSchema schema;
  private DeadLetters deadLetters;
  private Retries retry;
  /** How long a poll waits while the batch's partitions are paused. */
  private static final Duration PAUSED_POLL = Duration.ofMillis(20);

  private KafkaConsumer<byte[], byte[]> consumer;

  FeedConsumer(FeedsConfig config, FeedsConfig.Topic topic, String address, String bootstrapServers,
      MeterRegistry registry) {
    this.config = config;
    this.topic = topic;
    this.address = address;
    this.bootstrapServers = bootstrapServers;
    this.registry = registry;
    this.meters = new FeedMeters(registry, topic.name());
  }

  @Override
  public Future<?> start() {
    schema = RecordSchema.of(topic.name());
    deadLetters = new DeadLetters(vertx, bootstrapServers, config.deadLetterTimeout());
    retry = Retries.named("feeds.batch")
        .attempts(Integer.MAX_VALUE)
        .backoff(config.retryFirstBackoff(), config.retryMaxBackoff())
        .beforeRetry((attempt, failure, backoffMs) -> {
          if (stopping) {
            return -1;
          }
          meters.retry();
          log.warn("feeds.retry topic={} attempt={} backoff_ms={} error={}", topic.name(), attempt, backoffMs,
              failure.toString());
          return backoffMs;
        })
        .metered(registry)
        .build(vertx);
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrapServers);
    settings.put("group.id", topic.group());
    settings.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    settings.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    settings.put("enable.auto.commit", "false"); // committed by this class, after the batch is durable
    settings.put("auto.offset.reset", "earliest"); // a new group reads the topic from its start
    settings.put("max.poll.records", Integer.toString(config.batchSize()));
    consumer = KafkaConsumer.create(vertx, settings);
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
    consumer.exceptionHandler(err -> {
      if (!stopping) { // closing wakes up whatever call is under way
        log.warn("feeds.consumer_error topic={} error={}", topic.name(), err.toString());
      }
    });
    return consumer.subscribe(topic.topic()).onSuccess(subscribed -> {
      log.info("feeds.subscribed topic={} kafka_topic={} group={} address={}", topic.name(), topic.topic(),
          topic.group(), address);
      lagTimer = vertx.setPeriodic(config.lagInterval().toMillis(), tick -> measureLag());
      poll();
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(lagTimer);
    return Future.join(consumer.close(), deadLetters.close());
  }

  // ---- assignment: these run on this verticle's context before the records of the poll that changed it

  private void assigned(Set<TopicPartition> partitions) {
    long assignment = ++assignments;
    partitions.forEach(partition -> owned.put(partition, assignment));
    log.info("feeds.assigned topic={} partitions={}", topic.name(), numbers(partitions));
  }

  private void revoked(Set<TopicPartition> partitions) {
    partitions.forEach(partition -> {
      owned.remove(partition);
      meters.forgetLag(partition.getPartition());
    });
    log.info("feeds.revoked topic={} partitions={} in_flight={}", topic.name(), numbers(partitions), inFlight);
  }

  // ---- the loop

  private void poll() {
    if (stopping) {
      return;
    }
    // while a batch is in flight every owned partition is paused and a poll only keeps the membership: a short one, so
    // that the batch's resume (queued behind it on the consumer's thread) and the next fetch are not held up
    Duration timeout = inFlight && PAUSED_POLL.compareTo(config.pollTimeout()) < 0 ? PAUSED_POLL : config.pollTimeout();
    onConsumer(() -> consumer.poll(timeout)).onComplete(polled -> {
      if (stopping) {
        return;
      }
      if (polled.failed()) {
        log.warn("feeds.poll_failed topic={} error={}", topic.name(), polled.cause().toString());
        vertx.setTimer(config.retryFirstBackoff().toMillis(), again -> poll());
        return;
      }
      KafkaConsumerRecords<byte[], byte[]> records = polled.result();
      if (records.isEmpty()) {
        poll();
      } else if (inFlight) {
        holdBack(records).onComplete(held -> poll());
      } else {
        Batch batch = Batch.of(records, owned);
        inFlight = true;
        // paused before the next poll is submitted: the loop goes on polling (the group keeps this member) and
        // gets nothing from these partitions until the batch is done
        onConsumer(() -> consumer.pause(Set.copyOf(owned.keySet())))
            .onFailure(err -> log.warn("feeds.pause_failed topic={} error={}", topic.name(), err.toString()))
            .onComplete(paused -> poll());
        process(batch).onComplete(done -> {
          inFlight = false;
          resume();
        });
      }
    });
  }

  /** Records of a partition that is not paused, polled while a batch is in flight: fetched again later. */
  private Future<Void> holdBack(KafkaConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    records.records().forEach(record -> first.merge(new TopicPartition(record.topic(), record.partition()),
        record.offset(), Math::min));
    List<Future<Void>> held = new ArrayList<>();
    first.forEach((partition, offset) -> held.add(onConsumer(() -> consumer.seek(partition, offset))
        .compose(sought -> onConsumer(() -> consumer.pause(Set.of(partition))))));
    return Future.join(held).<Void>mapEmpty()
        .onFailure(err -> log.warn("feeds.hold_back_failed topic={} error={}", topic.name(), err.toString()))
        .otherwise((Void) null);
  }

  private void resume() {
    if (stopping) {
      return;
    }
    onConsumer(() -> consumer.resume(Set.copyOf(owned.keySet()))).onFailure(err -> {
      // the assignment changed between this call and its turn on the consumer's thread: resume what is owned now
      log.debug("feeds.resume_retry topic={} error={}", topic.name(), err.toString());
      vertx.setTimer(config.retryFirstBackoff().toMillis(), again -> resume());
    });
  }

  // ---- one batch

  private Future<Void> process(Batch batch) {
    Timer.Sample sample = Timer.start();
    meters.records("in", batch.records().size());
    List<ConsumerRecord<byte[], byte[]>> valid = new ArrayList<>();
    List<JsonObject> parsed = new ArrayList<>();
    List<DeadLetters.Letter> letters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : batch.records()) {
      Parsed result = parse(record);
      if (result.reason().isPresent()) {
        letters.add(new DeadLetters.Letter(record, result.reason().get()));
      } else {
        valid.add(record);
        parsed.add(result.json());
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < valid.size(); from += config.chunkSize()) {
      int start = from;
      int end = Math.min(valid.size(), from + config.chunkSize());
      chain = chain.compose(previous -> retry.run(() -> send(parsed.subList(start, end)))
          .map(outcomes -> {
            count(outcomes, valid.subList(start, end), letters);
            return null;
          }));
    }
    return chain
        .compose(applied -> writeDeadLetters(letters))
        .compose(written -> commit(batch))
        .onComplete(done -> sample.stop(meters.batch(done.succeeded() ? "committed" : "abandoned")))
        .onFailure(err -> log.warn("feeds.batch_abandoned topic={} records={} error={}", topic.name(),
            batch.records().size(), err.toString()));
  }

  private record Parsed(JsonObject json, Optional<String> reason) {}

  private Parsed parse(ConsumerRecord<byte[], byte[]> record) {
    JsonObject json;
    try {
      json = record.value() == null ? null : new JsonObject(Buffer.buffer(record.value()));
    } catch (DecodeException | ClassCastException e) {
      return new Parsed(null, Optional.of("not-json: " + firstLine(e.getMessage())));
    }
    if (json == null) {
      return new Parsed(null, Optional.of("not-json: no value"));
    }
    Optional<String> violation = schema.violation(json);
    return violation.isPresent()
        ? new Parsed(null, Optional.of("schema: " + violation.get()))
        : new Parsed(json, Optional.empty());
  }

  private Future<List<FeedOutcome>> send(List<JsonObject> records) {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject().put("records", new JsonArray(
            new ArrayList<>(records))), new DeliveryOptions().setSendTimeout(config.sendTimeout().toMillis()))
        .map(reply -> {
          List<FeedOutcome> outcomes = FeedOutcome.outcomes(reply.body());
          if (outcomes.size() != records.size()) {
            throw new IllegalStateException(address + " answered " + outcomes.size() + " outcomes for "
                + records.size() + " records");
          }
          return outcomes;
        });
  }

  private void count(List<FeedOutcome> outcomes, List<ConsumerRecord<byte[], byte[]>> records,
      List<DeadLetters.Letter> letters) {
    int applied = 0;
    int stale = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      FeedOutcome outcome = outcomes.get(i);
      switch (outcome.status()) {
        case APPLIED -> applied++;
        case STALE -> stale++;
        case REJECTED -> letters.add(new DeadLetters.Letter(records.get(i), outcome.reason()));
      }
    }
    meters.records("applied", applied);
    meters.records("stale", stale);
  }

  private Future<Void> writeDeadLetters(List<DeadLetters.Letter> letters) {
    if (letters.isEmpty()) {
      return Future.succeededFuture();
    }
    List<DeadLetters.Letter> all = List.copyOf(letters);
    List<DeadLetters.Letter> pending = new ArrayList<>(letters);
    return retry.run(() -> deadLetters.write(topic.deadLetterTopic(), pending))
        .onSuccess(written -> {
          meters.records("dlq", all.size());
          all.forEach(letter -> {
            meters.deadLetter(letter.reason());
            log.info("feeds.dead_letter topic={} partition={} offset={} reason={}", topic.name(),
                letter.record().partition(), letter.record().offset(), letter.reason());
          });
        });
  }

  /**
   * Commits the batch's next offsets of the partitions owned under the same assignment as when it was polled. A
   * failed commit (this member was fenced by a rebalance) loses nothing: those records are replayed.
   */
  private Future<Void> commit(Batch batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    batch.next().forEach((partition, offset) -> {
      Long assignment = owned.get(partition);
      if (assignment != null && assignment.equals(batch.assignments().get(partition))) {
        offsets.put(partition, new OffsetAndMetadata(offset, ""));
      }
    });
    if (offsets.size() < batch.next().size()) {
      Set<TopicPartition> lost = new HashSet<>(batch.next().keySet());
      lost.removeAll(offsets.keySet());
      log.info("feeds.commit_skipped topic={} partitions={} reason=not_owned_since_poll", topic.name(),
          numbers(lost));
      meters.commit("skipped");
    }
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return onConsumer(() -> consumer.commit(offsets))
        .onSuccess(committed -> meters.commit("committed"))
        .<Void>mapEmpty()
        .recover(err -> {
          meters.commit("failed");
          log.warn("feeds.commit_failed topic={} partitions={} error={} (not committed: replayed)", topic.name(),
              numbers(offsets.keySet()), err.toString());
          return Future.succeededFuture();
        });
  }

  private void measureLag() {
    if (owned.isEmpty() || stopping) {
      return;
    }
    Set<TopicPartition> partitions = Set.copyOf(owned.keySet());
    onConsumer(() -> consumer.endOffsets(partitions)).onSuccess(ends -> ends.forEach((partition, end) ->
            onConsumer(() -> consumer.committed(partition)).onSuccess(committed -> {
              if (owned.containsKey(partition)) {
                meters.lag(partition.getPartition(), Math.max(0, end - (committed == null ? 0
                    : committed.getOffset())));
              }
            })))
        .onFailure(err -> log.debug("feeds.lag_failed topic={} error={}", topic.name(), err.toString()));
  }

  /**
   * Every call to the consumer goes through here: once {@link #stop} closed it, a call would start a new thread for
   * it (the client reopens itself), so none is made.
   */
  private <T> Future<T> onConsumer(Supplier<Future<T>> call) {
    return stopping ? Future.failedFuture(new IllegalStateException("feed consumer stopped")) : call.get();
  }

  /**
   * One poll's records, the assignment each partition was owned under when they were polled, and the offset to
   * commit per partition (the last record's + 1).
   */
  private record Batch(List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, Long> assignments,
      Map<TopicPartition, Long> next) {

    static Batch of(KafkaConsumerRecords<byte[], byte[]> polled, Map<TopicPartition, Long> owned) {
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.size());
      Map<TopicPartition, Long> assignments = new HashMap<>();
      Map<TopicPartition, Long> next = new LinkedHashMap<>();
      polled.records().forEach(record -> {
        records.add(record);
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        next.merge(partition, record.offset() + 1, Math::max);
        Long assignment = owned.get(partition);
        if (assignment != null) {
          assignments.put(partition, assignment);
        }
      });
      return new Batch(records, assignments, next);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) : line;
  }

  private static List<Integer> numbers(Set<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::getPartition).sorted().toList();
  }
}
