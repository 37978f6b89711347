package io.webstore.inventory;

import io.vertx.core.Future;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.testing.ContractTables;

/** The stock-record contract, on DynamoDB (the dev engine). */
class DynamoStockRecordsTest extends StockRecordsContract {

  @Override
  protected Future<StockRecords> createRecords() {
    Services services = ContractTables.services();
    return ContractTables.provision(TableSpec.of(InventoryFeature.STOCK_TABLE, TableSpec.Key.string("pk")))
        .map(table -> new DynamoStockRecords(DynamoTable.of(services.vertx(), services.aws().dynamo(),
            services.meters(), "webstore.inventory.dynamo.calls", table, "pk")));
  }
}
