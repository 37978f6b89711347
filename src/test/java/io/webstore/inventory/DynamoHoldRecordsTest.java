package io.webstore.inventory;

import io.vertx.core.Future;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.testing.ContractTables;
import java.time.Duration;

/** The hold-record contract, on DynamoDB (the dev engine). */
class DynamoHoldRecordsTest extends HoldRecordsContract {

  @Override
  protected Future<HoldRecords> createRecords() {
    Services services = ContractTables.services();
    return ContractTables.provision(TableSpec.of(InventoryFeature.HOLDS_TABLE, TableSpec.Key.string("hold_id")))
        .map(table -> new DynamoHoldRecords(DynamoTable.of(services.vertx(), services.aws().dynamo(),
            services.meters(), "webstore.inventory.dynamo.calls", table, "hold_id"), Duration.ofDays(7)));
  }
}
