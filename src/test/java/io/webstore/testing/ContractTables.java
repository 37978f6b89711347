package io.webstore.testing;

import io.vertx.core.Future;
import io.webstore.platform.aws.Provisioner;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Services;
import java.util.List;

/**
 * Tables of the port contract tests on the shared dev engines: each is the adapter's own table spec under a {@code
 * contract-} name, so the store's background work (checkout recovery, order compensation, ledger rebuilds) never
 * touches a contract test's records, and a listing sees only what contract tests wrote.
 */
public final class ContractTables {

  private ContractTables() {}

  /** The shared store's process-wide clients, config and meters (the adapters under test are built from them). */
  public static Services services() {
    return Engines.shared().app().services();
  }

  /** Creates (once) the contract copy of {@code spec} and answers its full table name. */
  public static Future<String> provision(TableSpec spec) {
    Services services = services();
    TableSpec copy = new TableSpec("contract-" + spec.name(), spec.partitionKey(), spec.sortKey(), spec.indexes());
    return new Provisioner(services.vertx(), services.aws(), services.config()).createTables(List.of(copy))
        .map(created -> services.config().dynamo().table(copy.name()));
  }
}
