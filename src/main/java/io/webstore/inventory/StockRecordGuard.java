package io.webstore.inventory;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.resilience.Bulkhead;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Guards the inventory's DynamoDB calls: at most {@code maxInFlight} at once, the rest queued (see {@link Bulkhead}); a failed
 * condition passes through for the kit to judge, any other failure becomes {@code Unavailable} (the SDK already
 * retried what it could).
 */
final class StockRecordGuard implements DynamoTable.CallGuard {

  private static final Logger log = LoggerFactory.getLogger(StockRecordGuard.class);

  private final Bulkhead gate;

  StockRecordGuard(int maxInFlight, int maxQueued, Duration queueTimeout, MeterRegistry meters) {
    this.gate = Bulkhead.of("stock record store", maxInFlight, maxQueued, queueTimeout, meters);
  }

  @Override
  public <T> Future<T> run(String operation, Supplier<Future<T>> call) {
    return gate.run(call::get)
        .recover(err -> {
          if (err instanceof ConditionalCheckFailedException || err instanceof DomainException) {
            return Future.failedFuture(err);
          }
          log.warn("inventory.dynamo.failed operation={} error={}", operation, err.toString());
          return Future.failedFuture(new Unavailable("the stock records are not reachable; retry shortly"));
        });
  }
}
