package io.webstore.platform.error;

/** The caller sent too many requests; it may retry after {@link #retryAfterSeconds()}. */
public final class RateLimited extends DomainException {

  private final long retryAfterSeconds;

  public RateLimited(String detail, long retryAfterSeconds) {
    super(Kind.RATE_LIMITED, detail, null);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  /** Whole seconds until a retry can succeed, at least 1. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
