package io.webstore.platform.dynamo;

import io.vertx.core.Future;
import io.webstore.platform.error.Unavailable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Guards the calls of tables whose callers may repeat what failed as it was (sequenced feed writes, replacing writes,
 * reads): a failure the engine may get over, still there after the SDK's own bounded retries (a call or attempt
 * timeout, a refused or broken connection, throttling, a 5xx), becomes {@link Unavailable}, which a sender answers by
 * trying again later, and a client as 503 with {@code Retry-After}. The engine's error is logged here and kept out of
 * the reply. A failed condition passes through for the kit to judge; so does any other failure (a request the engine
 * refuses is a bug, reported as such).
 *
 * <p>Not for callers that must tell "refused, nothing written" from "outcome unknown": a timed-out write may have
 * landed, and here it is a DomainException like a refusal.
 */
public final class TransientAsUnavailable implements DynamoTable.CallGuard {

  private static final Logger log = LoggerFactory.getLogger(TransientAsUnavailable.class);

  private final String store;

  /** @param store what the tables hold, in the log line and the detail ({@code product store}) */
  public TransientAsUnavailable(String store) {
    this.store = store;
  }

  @Override
  public <T> Future<T> run(String operation, Supplier<Future<T>> call) {
    return call.get().recover(err -> {
      if (!isTransient(err)) {
        return Future.failedFuture(err);
      }
      log.warn("dynamo.unavailable store={} operation={} error={}", store, operation, err.toString());
      return Future.failedFuture(new Unavailable("the " + store + " did not answer in time; retry shortly"));
    });
  }

  /** Whether {@code err} is a DynamoDB failure that may pass by itself. */
  public static boolean isTransient(Throwable err) {
    if (err instanceof ConditionalCheckFailedException) {
      return false;
    }
    if (err instanceof AwsServiceException service) {
      return service.isThrottlingException() || service.statusCode() >= 500 || service.retryable();
    }
    return err instanceof SdkClientException; // ApiCallTimeoutException and ApiCallAttemptTimeoutException included
  }
}
