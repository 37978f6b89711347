package io.webstore.feeds;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a JSONL file to a Kafka topic, one record per line, keyed by a field of the line's JSON object (so one
 * entity's records stay ordered in one partition), with an idempotent {@code acks=all} producer. A line that is not a
 * JSON object, or lacks the key field, is rejected with its line number and the run goes on; blank lines are skipped.
 * The record's value is the line as it was read. Blocking: call it from a main or test thread.
 */
public final class Feeder {

  /** Kafka's default {@code max.request.size}: a longer line could never be sent. */
  static final int MAX_LINE_BYTES = 1_048_576;

  /**
   * What to feed, and where.
   *
   * @param bootstrap Kafka's {@code bootstrap.servers}
   * @param topic the topic to produce to
   * @param keyField the field of each line's JSON object whose (non-blank string) value is the record's key
   * @param file the JSONL file
   * @param connectTimeout how long to wait for the broker to answer before giving up
   * @param progressEvery how often the progress line is drawn
   * @param terminal whether the progress line is redrawn in place ({@code \r}) rather than printed line by line
   * @param listedRejections how many rejected lines are listed (all are counted)
   * @param clientProperties more Kafka client settings for the admin check and the producer (TLS or SASL for a
   *     deployed cluster); they cannot turn off idempotence or {@code acks=all}
   */
  public record Options(String bootstrap, String topic, String keyField, Path file, Duration connectTimeout,
      Duration progressEvery, boolean terminal, int listedRejections, Map<String, String> clientProperties) {

    public Options {
      Objects.requireNonNull(bootstrap, "bootstrap");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(keyField, "keyField");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(progressEvery, "progressEvery");
      clientProperties = Map.copyOf(clientProperties == null ? Map.of() : clientProperties);
    }

    /** With no extra client settings: a broker on plaintext, as {@code make run}'s. */
    public Options(String bootstrap, String topic, String keyField, Path file, Duration connectTimeout,
        Duration progressEvery, boolean terminal, int listedRejections) {
      this(bootstrap, topic, keyField, file, connectTimeout, progressEvery, terminal, listedRejections, Map.of());
    }
  }

  /** A line that was not sent, and why. */
  public record Rejection(long line, String reason) {}

  /**
   * What a run did.
   *
   * @param lines lines read (blank ones included)
   * @param sent records the broker acknowledged
   * @param rejected lines that were not sent (not a JSON object, no key, too long)
   * @param blank blank lines skipped
   * @param firstRejections the first rejected lines, in file order
   * @param undelivered records handed to the producer that the broker never acknowledged (the run stops at the first)
   * @param deliveryError why they were not delivered; empty when all were
   * @param elapsed from the first line read to the last acknowledgement
   */
  public record Summary(long lines, long sent, long rejected, long blank, List<Rejection> firstRejections,
      long undelivered, String deliveryError, Duration elapsed) {

    /** Whether every line was either sent or rejected. */
    public boolean complete() {
      return undelivered == 0 && deliveryError.isEmpty();
    }

    /** Acknowledged records per second. */
    public double rate() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds <= 0 ? 0 : sent / seconds;
    }
  }

  /** The broker did not answer within the connect timeout: nothing was sent. */
  public static final class BrokerUnreachable extends Exception {
    BrokerUnreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Feeder() {}

  /**
   * Checks that the broker answers, then sends every line of the file and waits for the broker's acknowledgements.
   * Rejected lines are listed on {@code progress} as they are met (the first {@link Options#listedRejections}), as
   * is the progress line.
   *
   * @throws BrokerUnreachable when the broker does not answer within the connect timeout (nothing was sent)
   * @throws IOException when the file cannot be read
   */
  public static Summary feed(Options options, PrintStream progress) throws BrokerUnreachable, IOException {
    long fileBytes = Files.size(options.file()); // fails before any connection when there is no file
    awaitBroker(options);
    Progress bar = new Progress(progress, options, fileBytes);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<String> deliveryError = new AtomicReference<>("");
    List<Rejection> listed = new ArrayList<>();
    long lines = 0;
    long rejected = 0;
    long blank = 0;
    long handed = 0;
    long started = System.nanoTime();
    try (CountingStream counted = new CountingStream(Files.newInputStream(options.file()));
        BufferedReader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(options))) {
      String line;
      while (deliveryError.get().isEmpty() && (line = reader.readLine()) != null) {
        lines++;
        if (line.isBlank()) {
          blank++;
          continue;
        }
        byte[] value = line.getBytes(StandardCharsets.UTF_8);
        Keyed keyed = value.length > MAX_LINE_BYTES
            ? Keyed.rejected("longer than " + MAX_LINE_BYTES + " bytes")
            : key(line, options.keyField());
        if (keyed.key() == null) {
          rejected++;
          if (listed.size() < options.listedRejections()) {
            Rejection rejection = new Rejection(lines, keyed.problem());
            listed.add(rejection);
            bar.rejected(rejection);
          }
          continue;
        }
        try {
          producer.send(new ProducerRecord<>(options.topic(), keyed.key(), value), (metadata, error) -> {
            if (error == null) {
              acked.incrementAndGet();
            } else {
              failed.incrementAndGet();
              deliveryError.compareAndSet("", error.getClass().getSimpleName() + ": " + error.getMessage());
            }
          });
        } catch (KafkaException e) { // the buffer stayed full, or the topic's metadata never came: the broker is gone
          failed.incrementAndGet();
          deliveryError.compareAndSet("", e.getClass().getSimpleName() + ": " + e.getMessage());
          break;
        }
        handed++;
        if ((handed & 1023) == 0) {
          bar.maybeDraw(counted.count(), acked.get(), started);
        }
      }
      producer.flush();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    bar.finish();
    long undelivered = handed - acked.get();
    return new Summary(lines, acked.get(), rejected, blank, List.copyOf(listed), undelivered, deliveryError.get(),
        elapsed);
  }

  /** A line's key, or why it has none. */
  record Keyed(String key, String problem) {
    static Keyed rejected(String problem) {
      return new Keyed(null, problem);
    }
  }

  /** The key of a line: the value of {@code keyField} in its JSON object, a non-blank string. */
  static Keyed key(String line, String keyField) {
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      return Keyed.rejected("not a JSON object: " + firstLine(e.getMessage()));
    }
    Object key = json.getValue(keyField);
    if (key == null) {
      return Keyed.rejected("no " + keyField);
    }
    if (!(key instanceof String text) || text.isBlank()) {
      return Keyed.rejected(keyField + " is not a non-blank string");
    }
    return new Keyed(text, null);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String first = message.lines().findFirst().orElse(message);
    return first.length() > 160 ? first.substring(0, 160) + "..." : first;
  }

  private static void awaitBroker(Options options) throws BrokerUnreachable {
    Properties props = new Properties();
    props.putAll(options.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
    int timeoutMs = (int) options.connectTimeout().toMillis();
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId()
          .get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerUnreachable("interrupted while waiting for " + options.bootstrap(), e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new BrokerUnreachable("no Kafka broker answered at " + options.bootstrap() + " within "
          + options.connectTimeout().toSeconds() + " s", e);
    }
  }

  private static Properties producerProperties(Options options) {
    Properties props = new Properties();
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
    props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024); // send() waits when full: memory stays bounded
    // a broker that stops answering mid-run ends the run within this, rather than blocking on a full buffer
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(30_000L, options.connectTimeout().toMillis()));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "webstore-feeder");
    props.putAll(options.clientProperties()); // tuning and security; what follows is not negotiable
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // a retried batch is written once, in order
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  /** The progress line: records/s, percent of the file's bytes read, ETA. */
  private static final class Progress {
    private final PrintStream out;
    private final Options options;
    private final long fileBytes;
    private final long everyNanos;
    private long lastDrawn = System.nanoTime();
    private boolean drawnInPlace;

    Progress(PrintStream out, Options options, long fileBytes) {
      this.out = out;
      this.options = options;
      this.fileBytes = fileBytes;
      this.everyNanos = options.progressEvery().toNanos();
    }

    void maybeDraw(long bytesRead, long acked, long started) {
      long now = System.nanoTime();
      if (now - lastDrawn < everyNanos) {
        return;
      }
      lastDrawn = now;
      double seconds = (now - started) / 1e9;
      double fraction = fileBytes == 0 ? 1 : Math.min(1, (double) bytesRead / fileBytes);
      double rate = seconds > 0 ? acked / seconds : 0;
      String eta = fraction > 0 ? duration(seconds * (1 - fraction) / fraction) : "?";
      String text = String.format(Locale.ROOT, "feed %s %5.1f%% %,d sent %,.0f records/s ETA %s", bar(fraction),
          fraction * 100, acked, rate, eta);
      if (options.terminal()) {
        out.print("\r" + text + "\u001b[K");
        drawnInPlace = true;
      } else {
        out.println(text);
      }
      out.flush();
    }

    void rejected(Rejection rejection) {
      clear();
      out.println("feed rejected line " + rejection.line() + ": " + rejection.reason());
      out.flush();
    }

    void finish() {
      clear();
      out.flush();
    }

    private void clear() {
      if (drawnInPlace) {
        out.print("\r\u001b[K");
        drawnInPlace = false;
      }
    }

    private static String bar(double fraction) {
      int width = 24;
      int filled = (int) Math.round(fraction * width);
      return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    private static String duration(double seconds) {
      long s = Math.round(seconds);
      return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
          : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
  }

  /** Counts the bytes read from the file, for the percentage. */
  private static final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
