package io.webstore.platform.error;

import io.vertx.core.json.JsonObject;

/** The request clashes with the current state (a concurrent change, a duplicate). */
public final class Conflict extends DomainException {
  public Conflict(String detail) {
    super(Kind.CONFLICT, detail, null);
  }

  public Conflict(String detail, JsonObject extensions) {
    super(Kind.CONFLICT, detail, extensions);
  }
}
