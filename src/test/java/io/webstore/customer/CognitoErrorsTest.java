package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.RateLimited;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.error.Unconfirmed;
import io.webstore.platform.error.Validation;
import io.webstore.testing.Engines;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;

/**
 * The answers Cognito gives that cognito-local cannot be made to give (throttling, a pool's password policy), and the
 * ones it gives differently from AWS, from a stub of the Cognito JSON protocol: each maps to the local mode's answer.
 */
class CognitoErrorsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final EmailAddress EMAIL = EmailAddress.parse("stub@example.com");

  static Vertx vertx;
  static CognitoIdentityProviderAsyncClient client;
  static IdentityProvider provider;
  /** The error type the stub answers for each operation. */
  static final Map<String, String> ERRORS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    HttpServer stub = Engines.await(vertx.createHttpServer().requestHandler(request -> {
      String operation = request.getHeader("X-Amz-Target").replace("AWSCognitoIdentityProviderService.", "");
      request.response().setStatusCode(400).putHeader("Content-Type", "application/x-amz-json-1.1")
          .end(new JsonObject().put("__type", ERRORS.getOrDefault(operation, "InternalErrorException"))
              .put("message", "Password did not conform with policy: Password must have symbol characters")
              .encode());
    }).listen(0, "127.0.0.1"));
    client = CognitoIdentityProviderAsyncClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dev", "dev")))
        .endpointOverride(URI.create("http://127.0.0.1:" + stub.actualPort()))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(5)))
        .build();
    provider = new CognitoIdentityProvider(vertx, client, new CognitoIdentityProvider.Settings(
        Optional.of("us-east-1_stub"), "stub-client", Optional.empty(), false), new InMemoryCustomerStore(),
        new SimpleMeterRegistry(), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    client.close();
    Engines.await(vertx.close());
  }

  @Test
  void throttlingIsRateLimited() {
    ERRORS.put("InitiateAuth", "TooManyRequestsException");
    ERRORS.put("SignUp", "LimitExceededException");
    assertThat(Engines.awaitFailure(provider.logIn(EMAIL, "whatever-Password-1"), WAIT))
        .isInstanceOfSatisfying(RateLimited.class, limited -> assertThat(limited.retryAfterSeconds()).isPositive());
    assertThat(Engines.awaitFailure(provider.signUp(EMAIL, "whatever-Password-1"), WAIT))
        .isInstanceOf(RateLimited.class);
  }

  @Test
  void aPasswordThePoolRefusesIsValidationOnPasswordAndAnExistingUserIsConflict() {
    ERRORS.put("SignUp", "InvalidPasswordException");
    assertThat(Engines.awaitFailure(provider.signUp(EMAIL, "whatever-Password-1"), WAIT))
        .isInstanceOfSatisfying(Validation.class, invalid -> assertThat(invalid.extensions().encode())
            .contains("/password").contains("symbol characters"));
    ERRORS.put("SignUp", "UsernameExistsException");
    assertThat(Engines.awaitFailure(provider.signUp(EMAIL, "whatever-Password-1"), WAIT))
        .isInstanceOf(Conflict.class);
  }

  @Test
  void everyCredentialFailureAtLoginIsTheSameUnauthorizedAndAnUnconfirmedUserIsUnconfirmed() {
    String detail = null;
    for (String error : new String[] {"NotAuthorizedException", "UserNotFoundException", "InvalidPasswordException",
        "PasswordResetRequiredException"}) {
      ERRORS.put("InitiateAuth", error);
      Throwable failed = Engines.awaitFailure(provider.logIn(EMAIL, "whatever-Password-1"), WAIT);
      assertThat(failed).as(error).isInstanceOf(Unauthorized.class);
      detail = detail == null ? failed.getMessage() : detail;
      assertThat(failed.getMessage()).as(error).isEqualTo(detail);
    }
    ERRORS.put("InitiateAuth", "UserNotConfirmedException");
    assertThat(Engines.awaitFailure(provider.logIn(EMAIL, "whatever-Password-1"), WAIT))
        .isInstanceOf(Unconfirmed.class);
  }
}
