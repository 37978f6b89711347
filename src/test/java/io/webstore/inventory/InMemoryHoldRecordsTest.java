package io.webstore.inventory;

import io.vertx.core.Future;

/** The hold-record contract, in memory. */
class InMemoryHoldRecordsTest extends HoldRecordsContract {

  @Override
  protected Future<HoldRecords> createRecords() {
    return Future.succeededFuture(new InMemoryHoldRecords());
  }
}
