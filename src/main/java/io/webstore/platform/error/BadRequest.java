package io.webstore.platform.error;

/** The request is malformed (a missing header, unreadable input). */
public final class BadRequest extends DomainException {
  public BadRequest(String detail) {
    super(Kind.BAD_REQUEST, detail, null);
  }
}
