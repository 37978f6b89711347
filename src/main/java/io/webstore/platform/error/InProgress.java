package io.webstore.platform.error;

/**
 * The request repeats one (same {@code Idempotency-Key}, same body) that is still being worked on: nothing is known
 * yet, nothing was done twice. The caller asks again with the same key after {@link #retryAfterSeconds()}; unlike a
 * {@link Conflict}, this is never a final answer.
 */
public final class InProgress extends DomainException {

  private final long retryAfterSeconds;

  public InProgress(String detail, long retryAfterSeconds) {
    super(Kind.IN_PROGRESS, detail, null);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  /** Whole seconds after which asking again is worthwhile, at least 1. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
