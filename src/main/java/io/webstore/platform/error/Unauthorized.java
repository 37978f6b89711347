package io.webstore.platform.error;

import io.vertx.core.json.JsonObject;

/** The caller could not be authenticated (bad credentials or token). */
public final class Unauthorized extends DomainException {
  public Unauthorized(String detail) {
    super(Kind.UNAUTHORIZED, detail, null);
  }

  /** With {@code error} (an RFC 6750 error code such as {@code invalid_token}) for the challenge. */
  public Unauthorized(String detail, JsonObject extensions) {
    super(Kind.UNAUTHORIZED, detail, extensions);
  }
}
