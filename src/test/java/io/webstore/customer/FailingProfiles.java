package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.platform.error.Unavailable;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link CustomerStore} whose next {@code create}s fail as if DynamoDB were down (tests only): the fault is injected
 * at the port, the shared engine stays healthy for every other test.
 */
final class FailingProfiles implements CustomerStore {

  private final CustomerStore delegate;
  private final AtomicInteger failuresLeft;

  FailingProfiles(CustomerStore delegate, int failures) {
    this.delegate = delegate;
    this.failuresLeft = new AtomicInteger(failures);
  }

  @Override
  public Future<Customer> create(Customer customer, Optional<String> passwordHash, Set<String> groups) {
    if (failuresLeft.getAndDecrement() > 0) {
      return Future.failedFuture(new Unavailable("the customers table did not answer (injected)"));
    }
    return delegate.create(customer, passwordHash, groups);
  }

  @Override
  public Future<Customer> find(String customerId) {
    return delegate.find(customerId);
  }

  @Override
  public Future<Credentials> credentials(EmailAddress email) {
    return delegate.credentials(email);
  }

  @Override
  public Future<Customer> updateConsents(String customerId, Map<String, Boolean> changes) {
    return delegate.updateConsents(customerId, changes);
  }

  @Override
  public Future<Void> updateCredentials(EmailAddress email, Optional<String> passwordHash, Set<String> addGroups) {
    return delegate.updateCredentials(email, passwordHash, addGroups);
  }
}
