package io.webstore.fraud;

import io.webstore.platform.config.WebstoreConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;

/**
 * Builds a remote scorer's async SDK client like the platform's: Netty, explicit timeouts, bounded jittered retries
 * of retryable errors only, the endpoint override when configured (local stubs). Its own HTTP client, since the
 * scorer's modules come from an older SDK release than the platform's clients (see pom.xml).
 */
final class RemoteClients {

  private RemoteClients() {}

  static <B extends AwsAsyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder,
      WebstoreConfig.Aws aws, Duration timeout, Optional<URI> endpoint) {
    builder.region(Region.of(aws.region()))
        .credentialsProvider(credentials(aws))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .maxConcurrency(aws.maxConnections())
            .connectionTimeout(aws.connectTimeout()))
        .overrideConfiguration(o -> o
            .retryStrategy(StandardRetryStrategy.builder().maxAttempts(aws.maxAttempts()).build())
            .apiCallTimeout(timeout)
            .apiCallAttemptTimeout(timeout));
    endpoint.ifPresent(builder::endpointOverride);
    return builder;
  }

  private static AwsCredentialsProvider credentials(WebstoreConfig.Aws aws) {
    if (aws.accessKeyId().isPresent() && aws.secretAccessKey().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(aws.accessKeyId().get(), aws.secretAccessKey().get()));
    }
    return DefaultCredentialsProvider.builder().build(); // IAM role / environment in AWS
  }
}
