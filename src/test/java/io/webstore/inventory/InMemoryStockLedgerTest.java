package io.webstore.inventory;

import io.vertx.core.Future;

/** The stock-ledger contract (hold path), in memory. */
class InMemoryStockLedgerTest extends StockLedgerContract {

  @Override
  protected Future<StockLedger> createLedger() {
    return Future.succeededFuture(new InMemoryStockLedger());
  }
}
