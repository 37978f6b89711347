package io.webstore.platform.error;

/** The caller is known but may not do this. */
public final class Forbidden extends DomainException {
  public Forbidden(String detail) {
    super(Kind.FORBIDDEN, detail, null);
  }
}
