package io.webstore.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log's appender ({@code logback.xml}): the calling thread (an event loop) only queues the line; a thread
 * of its own encodes what has queued up, with the configured encoder, and writes it to standard output in as few
 * writes as whole lines allow (up to {@link #ATOMIC_WRITE_BYTES} each).
 *
 * <p>logback's {@code AsyncAppender} in front of a {@code ConsoleAppender} did the same per line: {@code System.out}
 * flushes on every write, so each request's line was a {@code write} system call of its own (about a tenth of the
 * store's CPU per product read, half of it in the kernel). Here a busy store writes some twenty lines per system call.
 * While lines keep coming the writer looks for more every millisecond instead of being woken for each line (a wake-up
 * is a system call on the event loop that queues the line); after {@link #IDLE_POLLS} empty looks it waits to be woken.
 *
 * <p>Lines are never reordered. When the queue is full (standard output cannot keep up) lines are dropped rather than
 * stalling requests, as the {@code AsyncAppender} with {@code neverBlock} did, and counted in {@link #dropped()}.
 * {@link #stop()} writes what is still queued.
 */
public final class AccessLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /** Empty looks, a millisecond apart, before the writer waits to be woken by the next line. */
  static final int IDLE_POLLS = 100;
  private static final int MAX_BATCH = 1024;
  /**
   * Whole lines up to this many bytes per write: a write to a pipe (a container's standard output) of at most
   * {@code PIPE_BUF} bytes is never interleaved with another's, such as the other log lines' console appender.
   */
  static final int ATOMIC_WRITE_BYTES = 4096;
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 8192;
  private OutputStream out = new FileOutputStream(FileDescriptor.out);
  private BlockingQueue<ILoggingEvent> queue;
  private Thread writer;
  private volatile boolean running;
  private final AtomicLong dropped = new AtomicLong();
  /** Lines dropped by every access-log appender of the process, also those stopped since (a reconfiguration). */
  private static final AtomicLong DROPPED_IN_PROCESS = new AtomicLong();

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** Where the lines go instead of standard output (tests). */
  void setOutputStream(OutputStream out) {
    this.out = out;
  }

  /** Lines dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Lines every access-log appender of this process has dropped, on {@code /metrics} as {@code
   * webstore_http_access_log_dropped_total}: a count that grows means standard output cannot keep up.
   */
  public static long droppedInProcess() {
    return DROPPED_IN_PROCESS.get();
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for the access log appender \"" + name + "\"");
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    running = true;
    writer = new Thread(this::writeLoop, "access-log-writer-" + name);
    writer.setDaemon(true);
    writer.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing(); // the message, thread name and MDC, taken on the calling thread
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
      DROPPED_IN_PROCESS.incrementAndGet();
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop(); // no more appends
    running = false;
    writer.interrupt();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ILoggingEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    write(rest, new ByteArrayOutputStream());
    try {
      out.flush();
    } catch (IOException e) {
      addError("cannot flush the access log", e);
    }
  }

  private void writeLoop() {
    List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    int idle = 0;
    while (running) {
      if (queue.drainTo(batch, MAX_BATCH) == 0) {
        if (++idle < IDLE_POLLS) {
          LockSupport.parkNanos(POLL_NANOS);
          continue;
        }
        try {
          batch.add(queue.take()); // quiet: wait to be woken by the next line
        } catch (InterruptedException e) {
          break; // stopping; stop() writes what is left
        }
        queue.drainTo(batch, MAX_BATCH - 1);
      }
      idle = 0;
      write(batch, buffer);
      batch.clear();
    }
  }

  private void write(List<ILoggingEvent> events, ByteArrayOutputStream buffer) {
    if (events.isEmpty()) {
      return;
    }
    buffer.reset();
    for (ILoggingEvent event : events) {
      byte[] line = encoder.encode(event);
      if (buffer.size() > 0 && buffer.size() + line.length > ATOMIC_WRITE_BYTES) {
        flush(buffer);
      }
      buffer.write(line, 0, line.length);
    }
    flush(buffer);
  }

  private void flush(ByteArrayOutputStream buffer) {
    try {
      buffer.writeTo(out);
    } catch (IOException e) {
      addError("cannot write the access log", e);
    }
    buffer.reset();
  }
}
