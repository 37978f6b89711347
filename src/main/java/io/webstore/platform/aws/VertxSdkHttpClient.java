package io.webstore.platform.aws;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * The AWS SDK's async HTTP transport on the Vert.x HTTP client, so SDK calls run on the store's own event loops
 * instead of a second Netty event-loop group. Made for the small request and response bodies of DynamoDB, SQS,
 * EventBridge and Cognito: a request body is gathered before it is sent and a response body is read whole before it
 * is handed to the SDK (never use it for large S3 objects). Every request carries an idle timeout; the SDK's call and
 * attempt timeouts bound it too.
 */
public final class VertxSdkHttpClient implements SdkAsyncHttpClient {

  private static final int KEEP_ALIVE_SECONDS = 4;

  private final HttpClient client;
  private final long idleTimeoutMs;

  /**
   * @param maxConnections connections per endpoint at most; more requests wait in the pool's queue
   * @param connectTimeout how long opening a connection may take
   * @param idleTimeout how long a request may see no bytes before it fails
   */
  public VertxSdkHttpClient(Vertx vertx, int maxConnections, Duration connectTimeout, Duration idleTimeout) {
    this.client = vertx.createHttpClient(new HttpClientOptions()
            .setKeepAlive(true)
            // below the 5 s a Node server (the dev DynamoDB engine) keeps an idle connection, so the pool never
            // hands out a connection the server is closing; reconnecting after 4 s idle costs nothing under load
            .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
            .setTcpNoDelay(true)
            .setConnectTimeout((int) connectTimeout.toMillis())
            .setDecompressionSupported(false),
        new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(maxConnections * 64));
    this.idleTimeoutMs = idleTimeout.toMillis();
  }

  @Override
  public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    SdkAsyncHttpResponseHandler handler = request.responseHandler();
    SdkHttpRequest http = request.request();
    gather(request.requestContentPublisher())
        .compose(body -> send(http, body, done))
        .onSuccess(response -> {
          handler.onHeaders(SdkHttpFullResponse.builder()
              .statusCode(response.statusCode)
              .statusText(response.statusText)
              .headers(response.headers)
              .build());
          handler.onStream(new OneBuffer(response.body));
          done.complete(null);
        })
        .onFailure(failure -> {
          // as an IOException the SDK's retry strategy sees a transport failure (retryable), as with its own clients
          Throwable err = failure instanceof IOException ? failure
              : new IOException(String.valueOf(failure.getMessage()), failure);
          handler.onError(err);
          done.completeExceptionally(err);
        });
    return done;
  }

  private record Received(int statusCode, String statusText, Map<String, List<String>> headers, ByteBuffer body) {}

  private Future<Received> send(SdkHttpRequest http, Buffer body, CompletableFuture<Void> done) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(http.method().name()))
        .setHost(http.host())
        .setPort(http.port())
        .setSsl("https".equalsIgnoreCase(http.protocol()))
        .setURI(http.encodedPath().isEmpty() ? "/" + query(http) : http.encodedPath() + query(http))
        .setIdleTimeout(idleTimeoutMs);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    http.forEachHeader((name, values) -> {
      if (!"Host".equalsIgnoreCase(name) && !"Content-Length".equalsIgnoreCase(name)) {
        headers.add(name, values);
      }
    });
    options.setHeaders(headers);
    return client.request(options)
        .compose(outgoing -> {
          // the SDK cancels an attempt it gave up on (its attempt timeout): free the connection at once
          done.whenComplete((ignored, err) -> {
            if (done.isCancelled()) {
              outgoing.reset();
            }
          });
          return outgoing.send(body);
        })
        .compose(response -> response.body().map(bytes -> received(response, bytes)));
  }

  private static Received received(HttpClientResponse response, Buffer bytes) {
    Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    response.headers().forEach(header -> headers.computeIfAbsent(header.getKey(), k -> new ArrayList<>())
        .add(header.getValue()));
    return new Received(response.statusCode(), response.statusMessage(), headers,
        ByteBuffer.wrap(bytes.getBytes()));
  }

  private static String query(SdkHttpRequest http) {
    return http.encodedQueryParameters().map(q -> "?" + q).orElse("");
  }

  /** The request body, gathered whole (the SDK's bodies here are small JSON documents). */
  private static Future<Buffer> gather(Publisher<ByteBuffer> publisher) {
    if (publisher == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    io.vertx.core.Promise<Buffer> promise = io.vertx.core.Promise.promise();
    Buffer buffer = Buffer.buffer();
    publisher.subscribe(new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer chunk) {
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        buffer.appendBytes(bytes);
      }

      @Override
      public void onError(Throwable err) {
        promise.tryFail(err);
      }

      @Override
      public void onComplete() {
        promise.tryComplete(buffer);
      }
    });
    return promise.future();
  }

  /** A publisher of one response body, honouring demand and a single subscriber. */
  private static final class OneBuffer implements Publisher<ByteBuffer> {
    private final ByteBuffer body;

    OneBuffer(ByteBuffer body) {
      this.body = body;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      AtomicBoolean sent = new AtomicBoolean();
      subscriber.onSubscribe(new Subscription() {
        @Override
        public void request(long n) {
          if (n <= 0) {
            subscriber.onError(new IllegalArgumentException("demand must be positive (reactive streams 3.9)"));
          } else if (sent.compareAndSet(false, true)) {
            if (body.hasRemaining()) {
              subscriber.onNext(body);
            }
            subscriber.onComplete();
          }
        }

        @Override
        public void cancel() {
          sent.set(true);
        }
      });
    }
  }

  @Override
  public String clientName() {
    return "VertxHttp";
  }

  @Override
  public void close() {
    client.close();
  }
}
