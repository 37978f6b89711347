package io.webstore.catalog;

import io.vertx.core.Future;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.testing.ContractTables;

/** The catalog's tables for the port contract tests: the specs of {@link CatalogFeature#tables()}, as contract copies. */
final class CatalogContractTables {

  private static final String METRIC = "webstore.catalog.dynamo.calls";

  private CatalogContractTables() {}

  /** The contract copy of the catalog table {@code name} (created once), as the catalog's adapters use it. */
  static Future<DynamoTable> table(String name) {
    TableSpec spec = new CatalogFeature().tables().stream().filter(table -> table.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the catalog has no table " + name));
    Services services = ContractTables.services();
    return ContractTables.provision(spec).map(table -> DynamoTable.of(services.vertx(), services.aws().dynamo(),
        services.meters(), METRIC, table, spec.partitionKey().attribute()));
  }
}
