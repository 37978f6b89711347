package io.webstore.platform.error;

/** The caller could not be authenticated (bad credentials or token). */
public final class Unauthorized extends DomainException {
  public Unauthorized(String detail) {
    super(Kind.UNAUTHORIZED, detail, null);
  }
}
