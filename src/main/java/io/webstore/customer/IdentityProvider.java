package io.webstore.customer;

import io.vertx.core.Future;

/**
 * Who checks passwords and issues access tokens: the store itself in dev ({@link LocalIdentityProvider}), Amazon
 * Cognito in AWS ({@link CognitoIdentityProvider}). Both also keep the customer's profile in the {@link
 * CustomerStore}, keyed by the id the provider assigns (the token's {@code sub}).
 */
interface IdentityProvider {

  /**
   * Creates an account for a password that already meets {@link PasswordPolicy}. Fails with {@code Conflict} when
   * the email is taken, {@code Validation} when the provider rejects the password.
   */
  Future<Customer> signUp(EmailAddress email, String password);

  /** Checks the password and issues an access token; {@code Unauthorized} for a wrong password or unknown email. */
  Future<AccessToken> logIn(EmailAddress email, String password);
}
