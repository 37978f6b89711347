package io.webstore.customer;

import java.util.Optional;
import java.util.Set;

/**
 * What logging in by email needs: the customer it belongs to, the Argon2id hash of the password (absent when an
 * external identity provider holds the password) and the groups the access token carries.
 */
record Credentials(String customerId, EmailAddress email, Optional<String> passwordHash, Set<String> groups) {}
