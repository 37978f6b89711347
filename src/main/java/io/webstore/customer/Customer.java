package io.webstore.customer;

import java.time.Instant;

/** A customer's profile: what {@code /customers/me} shows. Credentials are kept apart, in {@link Credentials}. */
public record Customer(String id, EmailAddress email, Instant createdAt, Consents consents) {

  /** A customer who has just signed up: no consent given yet. */
  public static Customer registered(String id, EmailAddress email, Instant now) {
    return new Customer(id, email, now, Consents.none());
  }
}
