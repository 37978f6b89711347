package io.webstore.platform.error;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A failure the caller can act on. Carries no stack trace: cheap to throw, nothing to leak. {@link #extensions()} holds
 * extra problem members (for example the {@code errors} of a validation failure or the {@code skus} that ran out).
 */
public abstract sealed class DomainException extends RuntimeException
    permits NotFound, Conflict, OutOfStock, Validation, PaymentDeclined, Forbidden, Unauthorized, Unavailable,
        BadRequest, CartCheckedOut, RateLimited, InProgress, Unconfirmed, PaymentRefused {

  private final Kind kind;
  private final JsonObject extensions;

  protected DomainException(Kind kind, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.kind = kind;
    this.extensions = extensions == null ? new JsonObject() : extensions;
  }

  public Kind kind() {
    return kind;
  }

  public String detail() {
    return getMessage();
  }

  /** Extra members of the problem document; never null. */
  public JsonObject extensions() {
    return extensions;
  }

  /** Rebuilds a domain exception from its kind, detail and extensions, as carried over the event bus. */
  public static DomainException of(Kind kind, String detail, JsonObject extensions) {
    return switch (kind) {
      case NOT_FOUND -> new NotFound(detail);
      case CONFLICT -> new Conflict(detail, extensions);
      case OUT_OF_STOCK -> new OutOfStock(detail, extensions.getJsonArray("skus", new JsonArray()));
      case VALIDATION -> new Validation(detail, extensions.getJsonArray("errors", new JsonArray()));
      case PAYMENT_DECLINED -> new PaymentDeclined(detail, extensions);
      case FORBIDDEN -> new Forbidden(detail);
      case UNAUTHORIZED -> new Unauthorized(detail, extensions);
      case UNAVAILABLE -> new Unavailable(detail);
      case BAD_REQUEST -> new BadRequest(detail);
      case CART_CHECKED_OUT -> new CartCheckedOut(detail, extensions.getString("order_id"));
      case RATE_LIMITED -> new RateLimited(detail, 1);
      case IN_PROGRESS -> new InProgress(detail, 1);
      case UNCONFIRMED -> new Unconfirmed(detail);
      case PAYMENT_REFUSED -> new PaymentRefused(detail);
    };
  }
}
