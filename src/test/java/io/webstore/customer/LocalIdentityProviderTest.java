package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.platform.auth.BearerTokens;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;
import io.webstore.testing.Engines;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * The identity-provider contract on the store's own provider (dev, {@code auth.mode=local}): DynamoDB (the contract
 * copy of the customers table), Argon2id at the test cost the shared store runs with, on a hashing pool of its own,
 * and tokens signed and verified by the shared store's keys.
 */
class LocalIdentityProviderTest extends IdentityProviderContract {

  private final List<PasswordHashing> pools = new CopyOnWriteArrayList<>();

  @Override
  protected Future<Provider> createProvider() {
    Services services = ContractTables.services();
    PasswordHashing pool = new PasswordHashing(services.vertx(), 2, 100, services.meters());
    pools.add(pool);
    return Future.all(ContractTables.provision(DynamoCustomerStore.TABLE),
        ContractTables.provision(DynamoRefreshTokens.TABLE)).compose(tables -> {
      CustomerStore customers = new DynamoCustomerStore(services.vertx(), services.aws().dynamo(),
          tables.resultAt(0), services.meters());
      RefreshTokens refreshTokens = new DynamoRefreshTokens(services.vertx(), services.aws().dynamo(),
          tables.resultAt(1), services.meters());
      return LocalIdentityProvider.create(customers, new Argon2idHasher(CustomerFeature.hashing(services)), pool,
              services.authKeys(), Clock.systemUTC(), refreshTokens, Duration.ofDays(1))
          .map(identity -> new Provider(identity, customers, token -> services.authKeys().tokens()
              .verify("Bearer " + token.token())
              .map(user -> BearerTokens.claims(user).getString("sub"))));
    });
  }

  @AfterEach
  void closePools() {
    Engines.await(Future.all(pools.stream().map(PasswordHashing::close).toList()));
    pools.clear();
  }
}
