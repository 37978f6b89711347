package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link CustomerStore} in memory, with the conditions of {@link DynamoCustomerStore}: a profile is created only
 * under a fresh id and an email is claimed only once (a loser leaves no profile behind), consent changes set only the
 * names they carry, credentials changes replace the hash and add groups, and changes to what is absent are {@link
 * NotFound}. As there, a credentials change that changes nothing answers at once, without looking the email up.
 */
final class InMemoryCustomerStore implements CustomerStore {

  private final Map<String, Customer> profiles = new HashMap<>();
  private final Map<String, Credentials> claims = new HashMap<>();

  @Override
  public synchronized Future<Customer> create(Customer customer, Optional<String> passwordHash, Set<String> groups) {
    if (profiles.containsKey(customer.id())) {
      return Future.failedFuture(new Conflict("customer id " + customer.id() + " is taken"));
    }
    if (claims.containsKey(customer.email().value())) {
      return Future.failedFuture(new Conflict("an account with this email already exists"));
    }
    profiles.put(customer.id(), customer);
    claims.put(customer.email().value(), new Credentials(customer.id(), customer.email(), passwordHash,
        Set.copyOf(groups)));
    return Future.succeededFuture(customer);
  }

  @Override
  public synchronized Future<Customer> find(String customerId) {
    Customer customer = profiles.get(customerId);
    return customer == null ? Future.failedFuture(new NotFound("customer", customerId))
        : Future.succeededFuture(customer);
  }

  @Override
  public synchronized Future<Credentials> credentials(EmailAddress email) {
    Credentials credentials = claims.get(email.value());
    return credentials == null ? Future.failedFuture(new NotFound("no account has this email"))
        : Future.succeededFuture(credentials);
  }

  @Override
  public synchronized Future<Customer> updateConsents(String customerId, Map<String, Boolean> changes) {
    Customer customer = profiles.get(customerId);
    if (customer == null) {
      return Future.failedFuture(new NotFound("customer", customerId));
    }
    Map<String, Boolean> consents = new LinkedHashMap<>(customer.consents().byName());
    consents.putAll(changes);
    Customer changed = new Customer(customer.id(), customer.email(), customer.createdAt(), Consents.of(consents));
    profiles.put(customerId, changed);
    return Future.succeededFuture(changed);
  }

  @Override
  public synchronized Future<Void> updateCredentials(EmailAddress email, Optional<String> passwordHash,
      Set<String> addGroups) {
    if (passwordHash.isEmpty() && addGroups.isEmpty()) {
      return Future.succeededFuture();
    }
    Credentials credentials = claims.get(email.value());
    if (credentials == null) {
      return Future.failedFuture(new NotFound("no account has this email"));
    }
    Set<String> groups = new HashSet<>(credentials.groups());
    groups.addAll(addGroups);
    claims.put(email.value(), new Credentials(credentials.customerId(), credentials.email(),
        passwordHash.or(credentials::passwordHash), Set.copyOf(groups)));
    return Future.succeededFuture();
  }
}
