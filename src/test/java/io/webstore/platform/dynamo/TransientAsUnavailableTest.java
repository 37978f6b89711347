package io.webstore.platform.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.webstore.platform.error.Kind;
import io.webstore.platform.error.Unavailable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/** Which DynamoDB failures may pass by themselves, and what a guarded call fails with then. */
class TransientAsUnavailableTest {

  private final TransientAsUnavailable guard = new TransientAsUnavailable("test store");

  @Test
  void timeoutsThrottlingConnectionFailuresAndServerErrorsAreTransient() {
    assertThat(TransientAsUnavailable.isTransient(ApiCallTimeoutException.create(15_000))).isTrue();
    assertThat(TransientAsUnavailable.isTransient(ApiCallAttemptTimeoutException.create(5_000))).isTrue();
    assertThat(TransientAsUnavailable.isTransient(SdkClientException.create("connection refused"))).isTrue();
    assertThat(TransientAsUnavailable.isTransient(service(ProvisionedThroughputExceededException.builder(),
        "ProvisionedThroughputExceededException", 400))).isTrue();
    assertThat(TransientAsUnavailable.isTransient(service(DynamoDbException.builder(), "ThrottlingException", 400)))
        .isTrue();
    assertThat(TransientAsUnavailable.isTransient(service(InternalServerErrorException.builder(),
        "InternalServerError", 500))).isTrue();
  }

  @Test
  void aFailedConditionARefusedRequestAndAnythingElseAreNot() {
    assertThat(TransientAsUnavailable.isTransient(service(ConditionalCheckFailedException.builder(),
        "ConditionalCheckFailedException", 400))).isFalse();
    assertThat(TransientAsUnavailable.isTransient(service(DynamoDbException.builder(), "ValidationException", 400)))
        .isFalse();
    assertThat(TransientAsUnavailable.isTransient(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void aGuardedCallFailsWithUnavailableWithoutTheEngineErrorOrPassesTheFailureThrough() {
    Future<Object> timedOut = guard.run("getItem", () -> Future.failedFuture(ApiCallTimeoutException.create(15_000)));
    assertThat(timedOut.cause()).isInstanceOfSatisfying(Unavailable.class, unavailable -> {
      assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(unavailable.detail()).isEqualTo("the test store did not answer in time; retry shortly");
    });
    ConditionalCheckFailedException failedCondition = (ConditionalCheckFailedException) service(
        ConditionalCheckFailedException.builder(), "ConditionalCheckFailedException", 400);
    assertThat(guard.run("putItem", () -> Future.failedFuture(failedCondition)).cause()).isSameAs(failedCondition);
    assertThat(guard.run("putItem", () -> Future.succeededFuture("stored")).result()).isEqualTo("stored");
  }

  private static Throwable service(DynamoDbException.Builder builder, String code, int status) {
    return builder.statusCode(status).message(code)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
        .build();
  }
}
