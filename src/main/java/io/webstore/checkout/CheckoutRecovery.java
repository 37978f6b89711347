package io.webstore.checkout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles checkouts that nobody is running any more: unfinished idempotency records whose lease ended (the request's
 * process died, or lost its dependencies for longer than the lease). For each one it takes the lease over with a
 * conditional update (so of several instances exactly one proceeds, and the original request, should it still be
 * alive, is fenced out of every further step), then {@linkplain Settlement#resolve resolves} it: if no order item
 * exists the order id is burned and everything the checkout may have done is undone (payment voided, hold released,
 * sale allowance returned) and a 503 stored; if the order item exists the checkout is completed (stock committed,
 * hold released, order confirmed, 201 stored). A record whose settling fails stays unfinished under the new lease and
 * is tried again when that ends.
 */
final class CheckoutRecovery {

  private static final Logger log = LoggerFactory.getLogger(CheckoutRecovery.class);
  private static final int BATCH = 25;

  /** What one pass found and did. */
  record Pass(int found, int completed, int rolledBack, int failed) {}

  private final IdempotencyStore records;
  private final Settlement settlement;
  private final CheckoutSettings settings;
  private final MeterRegistry meters;
  private final Clock clock;

  CheckoutRecovery(IdempotencyStore records, Settlement settlement, CheckoutSettings settings, MeterRegistry meters,
      Clock clock) {
    this.records = records;
    this.settlement = settlement;
    this.settings = settings;
    this.meters = meters;
    this.clock = clock;
  }

  Future<Pass> runOnce() {
    return records.expired(clock.millis(), BATCH).compose(this::settleAll);
  }

  private Future<Pass> settleAll(List<IdempotencyRecord> expired) {
    int[] counts = new int[3]; // completed, rolled back, failed
    Future<Void> chain = Future.succeededFuture();
    for (IdempotencyRecord record : expired) {
      chain = chain.compose(previous -> settle(record).transform(result -> {
        if (result.failed()) {
          counts[2]++;
          count("failed");
          log.warn("checkout.recovery.failed checkout={} step={} error={}", record.ids().orderId(),
              record.step().wire(), result.cause().toString());
        } else if (result.result() == null) {
          count("skipped"); // another instance took it first
        } else if (result.result().status() == 201) {
          counts[0]++;
          count("completed");
        } else {
          counts[1]++;
          count("rolled_back");
        }
        return Future.<Void>succeededFuture();
      }));
    }
    return chain.map(done -> new Pass(expired.size(), counts[0], counts[1], counts[2]));
  }

  /** The stored answer, or null when another instance took the record over first. */
  private Future<StoredResponse> settle(IdempotencyRecord expired) {
    String owner = "recovery-" + UUID.randomUUID();
    return records.takeOver(expired, owner, clock.millis() + settings.lease().toMillis())
        .compose(taken -> {
          if (taken.isEmpty()) {
            return Future.succeededFuture();
          }
          IdempotencyRecord record = taken.get();
          log.warn("checkout.recovery.settling checkout={} step={} attempt={}", record.ids().orderId(),
              record.step().wire(), record.attempts());
          return settlement.resolve(record, Settlement.Undo.ALL)
              .onSuccess(response -> log.warn("checkout.recovery.settled checkout={} step={} status={}",
                  record.ids().orderId(), record.step().wire(), response.status()));
        });
  }

  private void count(String outcome) {
    Counter.builder("webstore.checkout.recovered").tag("outcome", outcome).register(meters).increment();
  }
}
