package io.webstore.platform.aws;

import io.vertx.core.Vertx;
import io.webstore.platform.config.WebstoreConfig;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The process's AWS clients: built once at start, all on one shared non-blocking HTTP transport, each with explicit
 * call and attempt timeouts and the standard bounded, jittered retry for retryable errors only. Endpoints are
 * overridden only for dev engines. The transport ({@code aws.httpTransport}) is {@code netty} by default, the SDK's
 * Netty NIO client with its own event-loop group; {@code vertx} runs the SDK's calls on the store's own event loops
 * ({@link VertxSdkHttpClient}), cheaper per call but not yet the default (see the README's Tuning section).
 * {@code make bench-sdk} compares them and AWS CRT.
 *
 * <p>The clients share one small timer pool for their call and attempt timeouts and retry delays, and complete their
 * futures on the thread that received the answer: left to the SDK's defaults, every client keeps a scheduler of 5
 * threads and an executor of up to 8 or more threads that does nothing but complete futures, which
 * {@link AwsFutures#on} then hands to the caller's context anyway (README "Tuning", Memory).
 */
public final class AwsClients implements AutoCloseable {

  /** Threads of the timer pool the clients share: its tasks only fail or retry a call, in microseconds. */
  static final int TIMER_THREADS = 2;

  private final ScheduledExecutorService timers = timerPool();
  private final SdkAsyncHttpClient http;
  private final DynamoDbAsyncClient dynamo;
  private final SqsAsyncClient sqs;
  private final EventBridgeAsyncClient eventBridge;
  private final WebstoreConfig.Aws aws;
  // built on first use: only cognito auth needs it, and a client costs ~180 classes and their start-up CPU
  private final AtomicReference<CognitoIdentityProviderAsyncClient> cognito = new AtomicReference<>();

  public AwsClients(Vertx vertx, WebstoreConfig.Aws aws) {
    this.http = "vertx".equals(aws.httpTransport())
        ? new VertxSdkHttpClient(vertx, aws.maxConnections(), aws.connectTimeout(), aws.apiCallTimeout())
        : NettyNioAsyncHttpClient.builder()
            .maxConcurrency(aws.maxConnections())
            .connectionTimeout(aws.connectTimeout())
            .build();
    this.dynamo = configure(DynamoDbAsyncClient.builder(), aws, aws.dynamodbEndpoint()).build();
    this.sqs = configure(SqsAsyncClient.builder(), aws, aws.sqsEndpoint()).build();
    this.eventBridge = configure(EventBridgeAsyncClient.builder(), aws, aws.eventbridgeEndpoint()).build();
    this.aws = aws;
  }

  private <B extends AwsAsyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(
      B builder, WebstoreConfig.Aws aws, Optional<URI> endpoint) {
    builder.region(Region.of(aws.region()))
        .credentialsProvider(credentials(aws))
        .httpClient(http)
        // the futures only resume on a Vert.x context (AwsFutures.on): completed where the answer arrives, no hop
        .asyncConfiguration(async -> async.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
            Runnable::run))
        .overrideConfiguration(o -> o
            .scheduledExecutorService(timers)
            .retryStrategy(StandardRetryStrategy.builder().maxAttempts(aws.maxAttempts()).build())
            .apiCallTimeout(aws.apiCallTimeout())
            .apiCallAttemptTimeout(aws.attemptTimeout()));
    endpoint.ifPresent(builder::endpointOverride); // dev engines only
    return builder;
  }

  private static ScheduledExecutorService timerPool() {
    AtomicInteger count = new AtomicInteger();
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(TIMER_THREADS, task -> {
      Thread thread = new Thread(task, "webstore-aws-timer-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    // nearly every timeout is cancelled when its call answers: drop it then, not when it would have fired
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  private static AwsCredentialsProvider credentials(WebstoreConfig.Aws aws) {
    if (aws.accessKeyId().isPresent() && aws.secretAccessKey().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(aws.accessKeyId().get(), aws.secretAccessKey().get()));
    }
    return DefaultCredentialsProvider.builder().build(); // IAM role / environment in AWS
  }

  public DynamoDbAsyncClient dynamo() {
    return dynamo;
  }

  public SqsAsyncClient sqs() {
    return sqs;
  }

  public EventBridgeAsyncClient eventBridge() {
    return eventBridge;
  }

  /** Built on the first call (call it first off the event loop: building a client loads its classes). */
  public CognitoIdentityProviderAsyncClient cognito() {
    CognitoIdentityProviderAsyncClient built = cognito.get();
    if (built != null) {
      return built;
    }
    built = configure(CognitoIdentityProviderAsyncClient.builder(), aws, aws.cognitoEndpoint()).build();
    if (!cognito.compareAndSet(null, built)) {
      built.close(); // another thread's came first
    }
    return cognito.get();
  }

  @Override
  public void close() {
    dynamo.close();
    sqs.close();
    eventBridge.close();
    CognitoIdentityProviderAsyncClient built = cognito.getAndSet(null);
    if (built != null) {
      built.close();
    }
    http.close();
    timers.shutdownNow(); // the SDK does not close an executor it was given
  }

}
