package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.webstore.testing.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access log's appender writes every line, once and in order, through the configured encoder, from a thread of
 * its own: while lines keep coming, after a quiet spell (when its writer waits to be woken), and at stop; and the
 * packaged {@code logback.xml} sends the access log to it, in the format of the store's other lines.
 */
class AccessLogAppenderTest {

  // the store's logger context (a fresh one has no MDC adapter, which a logging event needs)
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final AccessLogAppender appender = new AccessLogAppender();

  AccessLogAppenderTest() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level [%thread] %logger - %msg%n");
    encoder.start();
    appender.setContext(context);
    appender.setName("access");
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
  }

  @AfterEach
  void stop() {
    appender.stop();
  }

  @Test
  void everyLineIsWrittenOnceInOrderWithTheCallersThreadName() {
    log(0, 5000);
    List<String> lines = awaitLines(5000);
    assertThat(lines).isEqualTo(expected(0, 5000));
    assertThat(appender.dropped()).isZero();
  }

  @Test
  void aLineAfterAQuietSpellIsWrittenToo() {
    log(0, 1);
    awaitLines(1);
    // longer than the writer's polls: it now waits to be woken by the next line
    Deadline.await("the writer waits for the next line", Duration.ofSeconds(10),
        () -> appenderThread().getState() == Thread.State.WAITING);
    log(1, 2);
    assertThat(awaitLines(2)).isEqualTo(expected(0, 2));
  }

  @Test
  void stopWritesWhatIsStillQueued() {
    log(0, 2000);
    appender.stop();
    assertThat(lines()).isEqualTo(expected(0, 2000));
  }

  @Test
  void linesAreDroppedAndCountedRatherThanQueuedWithoutBoundWhenTheOutputCannotKeepUp() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AccessLogAppender slow = new AccessLogAppender();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    slow.setContext(context);
    slow.setName("slow");
    slow.setEncoder(encoder);
    slow.setQueueSize(4);
    slow.setOutputStream(new OutputStream() { // standard output that stops taking lines
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        stuck.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    slow.start();
    long before = AccessLogAppender.droppedInProcess();
    try {
      slow.doAppend(event(0));
      assertThat(stuck.await(10, TimeUnit.SECONDS)).as("the writer is stuck in a write").isTrue();
      for (int i = 1; i <= 20; i++) {
        slow.doAppend(event(i)); // each returns at once: the queue takes 4, the rest are dropped
      }
      assertThat(slow.dropped()).isGreaterThanOrEqualTo(20 - 4);
      assertThat(AccessLogAppender.droppedInProcess() - before).isGreaterThanOrEqualTo(slow.dropped());
    } finally {
      release.countDown();
      slow.stop();
    }
  }

  @Test
  void eachWriteIsWholeLinesOfAtMostAnAtomicPipeWrite() {
    List<byte[]> writes = new CopyOnWriteArrayList<>();
    AccessLogAppender chunked = new AccessLogAppender();
    chunked.setContext(context);
    chunked.setName("chunked");
    chunked.setEncoder(appender.getEncoder());
    chunked.setOutputStream(new OutputStream() {
      @Override
      public void write(int b) {
        writes.add(new byte[] {(byte) b});
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        writes.add(Arrays.copyOfRange(bytes, offset, offset + length));
      }
    });
    chunked.start();
    for (int i = 0; i < 3000; i++) { // queued faster than the writer looks: batches of many lines
      chunked.doAppend(new LoggingEvent("test", context.getLogger("io.webstore.access"), Level.INFO,
          "http.access request=" + i, null, null));
    }
    chunked.stop();

    assertThat(writes).allSatisfy(write -> {
      assertThat(write.length).isLessThanOrEqualTo(AccessLogAppender.ATOMIC_WRITE_BYTES);
      assertThat(write[write.length - 1]).as("ends a line").isEqualTo((byte) '\n');
    });
    assertThat(writes.size()).as("several lines per write").isLessThan(3000 / 4);
    String all = writes.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).reduce("", String::concat);
    assertThat(all.lines().toList()).hasSize(3000).last().asString().endsWith("request=2999");
  }

  @Test
  void theProductionConfigurationSendsTheAccessLogHereInTheFormatOfEveryOtherLine() throws JoranException {
    for (String format : List.of("text", "json")) {
      LoggerContext production = new LoggerContext();
      production.putProperty("WEBSTORE_LOG_FORMAT", format);
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(production);
      URL config = getClass().getClassLoader().getResource("logback.xml");
      assertThat(config.getPath()).doesNotContain("test-classes");
      configurator.doConfigure(config);
      assertThat(production.getStatusManager().getCopyOfStatusList())
          .noneMatch(status -> status.getLevel() == Status.ERROR);

      Logger access = production.getLogger("io.webstore.access");
      assertThat(access.isAdditive()).as("access lines go to standard output once").isFalse();
      assertThat(access.getAppender("access-" + format)).isInstanceOf(AccessLogAppender.class)
          .matches(Appender::isStarted);
      var encoder = ((AccessLogAppender) access.getAppender("access-" + format)).getEncoder();
      var rootEncoder = ((ConsoleAppender<ILoggingEvent>) production.getLogger(Logger.ROOT_LOGGER_NAME)
          .getAppender(format)).getEncoder();
      assertThat(encoder.getClass()).isEqualTo(rootEncoder.getClass());
      if (encoder instanceof PatternLayoutEncoder pattern) {
        assertThat(pattern.getPattern()).isEqualTo(((PatternLayoutEncoder) rootEncoder).getPattern());
      }
      production.stop();
      assertThat(Thread.getAllStackTraces().keySet()).as("no writer left running")
          .noneMatch(thread -> thread.getName().startsWith("access-log-writer-access-"));
    }
  }

  private void log(int from, int to) {
    for (int i = from; i < to; i++) {
      appender.doAppend(new LoggingEvent("test", context.getLogger("io.webstore.access"), Level.INFO,
          "http.access request=" + i, null, null));
    }
  }

  private LoggingEvent event(int i) {
    return new LoggingEvent("test", context.getLogger("io.webstore.access"), Level.INFO, "http.access request=" + i,
        null, null);
  }

  private List<String> expected(int from, int to) {
    String thread = Thread.currentThread().getName();
    return IntStream.range(from, to)
        .mapToObj(i -> "INFO [" + thread + "] io.webstore.access - http.access request=" + i).toList();
  }

  private List<String> awaitLines(int count) {
    return Deadline.until(count + " lines written", Duration.ofSeconds(10),
        () -> lines().size() >= count ? lines() : null);
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static Thread appenderThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("access-log-writer-access")).findFirst().orElseThrow();
  }
}
