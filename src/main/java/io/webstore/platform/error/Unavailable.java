package io.webstore.platform.error;

/** A dependency is down or not ready; the caller may retry later. */
public final class Unavailable extends DomainException {
  public Unavailable(String detail) {
    super(Kind.UNAVAILABLE, detail, null);
  }
}
