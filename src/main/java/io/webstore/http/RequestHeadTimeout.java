package io.webstore.http;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/1.x connection whose request head (request line and headers) is not complete within a deadline: a
 * client that sends half a request and waits, or drips it a byte at a time (which the idle timeout never notices),
 * holds a connection and a decoder buffer for nothing. The clock starts when the connection opens and, on a kept-alive
 * connection, at the first byte of each next request, so an idle kept-alive connection is left to the idle timeout.
 *
 * <p>Vert.x has no such option; this adds two small handlers around its HTTP decoder ({@code httpDecoder}), one that
 * sees the bytes and one that sees the decoded request. Connections without that decoder (HTTP/2) are left alone.
 */
final class RequestHeadTimeout {

  private static final Logger log = LoggerFactory.getLogger(RequestHeadTimeout.class);
  private static final String DECODER = "httpDecoder";

  private RequestHeadTimeout() {}

  static void install(HttpConnection connection, long timeoutMs, Counter cutOff) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get(DECODER) == null) {
      return;
    }
    Clock clock = new Clock(timeoutMs, cutOff);
    pipeline.addBefore(DECODER, "requestHeadBytes", clock.bytes);
    pipeline.addAfter(DECODER, "requestHeadDecoded", clock.decoded);
    clock.start(pipeline.context(clock.bytes));
  }

  /**
   * The state of one connection; every method runs on the connection's event loop. A head's start is only noted, and
   * its end only clears the note: the connection's one deadline task, when it runs, closes the connection if a head
   * has been arriving for the whole timeout, waits again for the rest of it if the head began later, or ends if no
   * head is arriving (the next head schedules it again). So a kept-alive connection serving request after request
   * schedules a task about once per timeout, not one per request to be cancelled microseconds later.
   */
  private static final class Clock {
    private final long timeoutNanos;
    private final long timeoutMs;
    private final Counter cutOff;
    private ScheduledFuture<?> deadline;
    private boolean headArriving;
    private long headSince;
    private boolean betweenRequests = true;

    private final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && betweenRequests && !headArriving) {
          start(ctx);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        if (deadline != null) {
          deadline.cancel(false);
          deadline = null;
        }
        super.channelInactive(ctx);
      }
    };

    private final ChannelDuplexHandler decoded = new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
          betweenRequests = false;
          stop();
        }
        if (msg instanceof LastHttpContent) {
          betweenRequests = true;
        }
        ctx.fireChannelRead(msg);
      }
    };

    Clock(long timeoutMs, Counter cutOff) {
      this.timeoutMs = timeoutMs;
      this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      this.cutOff = cutOff;
    }

    /** A head begins now: it must be complete within the timeout. */
    void start(ChannelHandlerContext ctx) {
      headArriving = true;
      headSince = System.nanoTime();
      if (deadline == null) {
        schedule(ctx, timeoutNanos);
      }
    }

    /** The head is complete. */
    void stop() {
      headArriving = false;
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
      deadline = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
      deadline = null;
      if (!headArriving) {
        return; // no head arriving: the next one schedules the deadline again
      }
      long left = headSince + timeoutNanos - System.nanoTime();
      if (left > 0) {
        schedule(ctx, left); // this head began after the one the task was scheduled for
        return;
      }
      cutOff.increment();
      log.debug("http.request_head_timeout remote={} timeout_ms={}", ctx.channel().remoteAddress(), timeoutMs);
      ctx.channel().close();
    }
  }
}
