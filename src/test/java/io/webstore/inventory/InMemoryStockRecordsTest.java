package io.webstore.inventory;

import io.vertx.core.Future;

/** The stock-record contract, in memory. */
class InMemoryStockRecordsTest extends StockRecordsContract {

  @Override
  protected Future<StockRecords> createRecords() {
    return Future.succeededFuture(new InMemoryStockRecords());
  }
}
