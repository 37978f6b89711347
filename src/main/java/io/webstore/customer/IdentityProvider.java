package io.webstore.customer;

import io.vertx.core.Future;

/**
 * Who checks passwords and issues tokens: the store itself in dev ({@link LocalIdentityProvider}), Amazon Cognito in
 * AWS ({@link CognitoIdentityProvider}). Both also keep the customer's profile in the {@link CustomerStore}, keyed by
 * the id the provider assigns (the token's {@code sub}): no account is left without a profile, no profile without an
 * account.
 */
interface IdentityProvider {

  /**
   * Creates an account for a password that already meets {@link PasswordPolicy}. Fails with {@code Conflict} when
   * the email is taken, {@code Validation} when the provider rejects the password. The account may still need its
   * email confirmed ({@link #confirm}) before it can log in.
   */
  Future<Customer> signUp(EmailAddress email, String password);

  /**
   * Confirms an account's email with the code the provider sent. An account that needs no confirmation (or has it
   * already) succeeds; a wrong or expired code, or an unknown email, is {@code Validation} on {@code /code}.
   */
  Future<Void> confirm(EmailAddress email, String code);

  /**
   * Checks the password and issues an access token with a refresh token; {@code Unauthorized} for a wrong password or
   * unknown email, {@code Unconfirmed} for an account whose email is not confirmed.
   */
  Future<AccessToken> logIn(EmailAddress email, String password);

  /**
   * A new access token for a refresh token this provider issued (with the refresh token to use next time); {@code
   * Unauthorized} for one that is unknown, expired, revoked or (local mode: single use) already used.
   */
  Future<AccessToken> refresh(String refreshToken);
}
