package io.webstore.platform.error;

/**
 * The account exists and the password is right, but its email address is not confirmed yet: the customer confirms it
 * with the code the identity provider sent ({@code POST /api/v1/auth/confirm}), then logs in again.
 */
public final class Unconfirmed extends DomainException {
  public Unconfirmed(String detail) {
    super(Kind.UNCONFIRMED, detail, null);
  }
}
