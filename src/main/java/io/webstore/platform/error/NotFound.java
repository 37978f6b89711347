package io.webstore.platform.error;

/** The thing asked for does not exist, or the caller may not know that it does. */
public final class NotFound extends DomainException {
  public NotFound(String detail) {
    super(Kind.NOT_FOUND, detail, null);
  }

  public NotFound(String what, String id) {
    this(what + " " + id + " does not exist");
  }
}
