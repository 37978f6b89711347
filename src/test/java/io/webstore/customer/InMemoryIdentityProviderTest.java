package io.webstore.customer;

import io.vertx.core.Future;
import java.time.Clock;

/** The identity-provider contract, in memory (over the in-memory customer store). */
class InMemoryIdentityProviderTest extends IdentityProviderContract {

  @Override
  protected Future<Provider> createProvider() {
    CustomerStore customers = new InMemoryCustomerStore();
    InMemoryIdentityProvider identity = new InMemoryIdentityProvider(customers, Clock.systemUTC(), 3600);
    return Future.succeededFuture(new Provider(identity, customers, identity::subjectOf));
  }
}
