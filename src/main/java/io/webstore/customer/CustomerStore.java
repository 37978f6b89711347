package io.webstore.customer;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where customers are kept: profiles by id and, separately, the credentials that belong to a normalized email.
 * Failures are domain errors: {@link io.webstore.platform.error.NotFound}, {@link io.webstore.platform.error.Conflict}.
 */
interface CustomerStore {

  /**
   * Stores a new customer and claims its email. Exactly one of any number of concurrent creations with the same email
   * succeeds; the others fail with {@code Conflict} and leave nothing behind that a caller can reach.
   *
   * @param passwordHash the Argon2id hash, or empty when an external identity provider holds the password
   */
  Future<Customer> create(Customer customer, Optional<String> passwordHash, Set<String> groups);

  /** The profile of a customer; {@code NotFound} when there is none. */
  Future<Customer> find(String customerId);

  /** The credentials under an email; {@code NotFound} when no account has it. */
  Future<Credentials> credentials(EmailAddress email);

  /**
   * Sets only the named consents (the others keep their values, also under concurrent changes) and returns the
   * profile as it is afterwards; {@code NotFound} when there is no such customer.
   */
  Future<Customer> updateConsents(String customerId, Map<String, Boolean> changes);

  /**
   * Replaces the password hash (when given) and adds groups to an existing account; {@code NotFound} when no account
   * has the email.
   */
  Future<Void> updateCredentials(EmailAddress email, Optional<String> passwordHash, Set<String> addGroups);
}
