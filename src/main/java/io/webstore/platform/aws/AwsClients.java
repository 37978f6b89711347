package io.webstore.platform.aws;

import io.vertx.core.Vertx;
import io.webstore.platform.config.WebstoreConfig;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
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
 */
public final class AwsClients implements AutoCloseable {

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
        .overrideConfiguration(o -> o
            .retryStrategy(StandardRetryStrategy.builder().maxAttempts(aws.maxAttempts()).build())
            .apiCallTimeout(aws.apiCallTimeout())
            .apiCallAttemptTimeout(aws.attemptTimeout()));
    endpoint.ifPresent(builder::endpointOverride); // dev engines only
    return builder;
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
  }

}
