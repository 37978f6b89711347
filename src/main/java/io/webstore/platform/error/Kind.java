package io.webstore.platform.error;

/** The kinds of domain failure, with their event-bus failure code, HTTP status and problem type slug. */
public enum Kind {
  NOT_FOUND(1, 404, "not-found", "Not found"),
  CONFLICT(2, 409, "conflict", "Conflict"),
  OUT_OF_STOCK(3, 409, "out-of-stock", "Out of stock"),
  VALIDATION(4, 422, "validation", "Validation failed"),
  PAYMENT_DECLINED(5, 402, "payment-declined", "Payment declined"),
  FORBIDDEN(6, 403, "forbidden", "Forbidden"),
  UNAUTHORIZED(7, 401, "unauthorized", "Unauthorized"),
  UNAVAILABLE(8, 503, "unavailable", "Service unavailable"),
  BAD_REQUEST(9, 400, "bad-request", "Bad request"),
  CART_CHECKED_OUT(10, 409, "cart-checked-out", "Cart already checked out"),
  RATE_LIMITED(11, 429, "too-many-requests", "Too many requests"),
  IN_PROGRESS(12, 409, "in-progress", "Still in progress"),
  UNCONFIRMED(13, 403, "unconfirmed", "Email address not confirmed"),
  PAYMENT_REFUSED(14, 403, "payment-refused", "Payment refused");

  /** Failure code of replies that carry no domain error. */
  public static final int INTERNAL_CODE = 99;

  private final int code;
  private final int status;
  private final String slug;
  private final String title;

  Kind(int code, int status, String slug, String title) {
    this.code = code;
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int code() {
    return code;
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public static Kind fromCode(int code) {
    for (Kind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    return null;
  }
}
