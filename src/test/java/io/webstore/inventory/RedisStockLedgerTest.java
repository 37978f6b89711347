package io.webstore.inventory;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;
import java.time.Duration;

/**
 * The stock-ledger contract (hold path), on the embedded Redis of the shared store. The ledger's keys are the store's
 * own ({@link RedisStockLedger#PREFIX}); the tests touch only SKUs and holds of their own, with holds that outlive
 * them, so the store's sweeper leaves them alone.
 */
class RedisStockLedgerTest extends StockLedgerContract {

  @Override
  protected Future<StockLedger> createLedger() {
    Services services = ContractTables.services();
    return RedisStockLedger.create(services.vertx(), services.redisApi(), services.meters(),
            services.config().redis().commandTimeout(), Duration.ofHours(1), Duration.ofMinutes(5), () -> { },
            services.config().redis().poolSize(), 100, Duration.ofSeconds(2))
        .compose(ledger -> ledger.ready().compose(ready -> ready
            ? Future.<StockLedger>succeededFuture(ledger)
            : Future.failedFuture(new IllegalStateException("the shared store's stock ledger is not ready"))));
  }
}
