package io.webstore.inventory;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.Unavailable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Runs the inventory's DynamoDB calls: at most {@code maxInFlight} at once (see {@link CommandGate}), timed, resumed on
 * the caller's context; a failed condition passes through for the caller to interpret, any other failure becomes
 * {@code Unavailable} (the SDK already retried what it could).
 */
final class DynamoCalls {

  private static final Logger log = LoggerFactory.getLogger(DynamoCalls.class);
  private static final String TIMER = "webstore.inventory.dynamo.calls";

  private final Vertx vertx;
  private final MeterRegistry meters;
  private final CommandGate gate;

  DynamoCalls(Vertx vertx, MeterRegistry meters, int maxInFlight, int maxQueued, long queueTimeoutMs) {
    this.vertx = vertx;
    this.meters = meters;
    this.gate = new CommandGate("stock record store", maxInFlight, maxQueued, queueTimeoutMs);
  }

  <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return gate.run(() -> AwsFutures.timed(vertx, meters, TIMER, operation, () -> request.get()))
        .recover(err -> {
          if (err instanceof ConditionalCheckFailedException || err instanceof DomainException) {
            return Future.failedFuture(err);
          }
          log.warn("inventory.dynamo.failed operation={} error={}", operation, err.toString());
          return Future.failedFuture(new Unavailable("the stock records are not reachable; retry shortly"));
        });
  }
}
