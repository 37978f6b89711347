package io.webstore.inventory;

import io.vertx.core.Future;
import java.time.Duration;

/** The stock-ledger contract, in memory. */
class InMemoryStockLedgerTest extends StockLedgerContract {

  @Override
  protected Future<StockLedger> createLedger(Duration tombstone, Duration rollForward, Runnable onNotReady) {
    return Future.succeededFuture(new InMemoryStockLedger(tombstone, rollForward, onNotReady));
  }

  @Override
  protected Future<Void> loseData(StockLedger ledger) {
    ((InMemoryStockLedger) ledger).flush();
    return Future.succeededFuture();
  }
}
