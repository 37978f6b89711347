package io.webstore.payment;

/**
 * The provider did not give an answer: a timeout, a connection failure, a 5xx (retryable), or a request it rejected
 * (not retryable). Carries no stack trace and never the request (which may hold a token).
 */
final class ProviderFailure extends RuntimeException {

  private final boolean retryable;
  private final String reason;

  ProviderFailure(String reason, boolean retryable) {
    super("payment provider failed: " + reason, null, false, false);
    this.retryable = retryable;
    this.reason = reason;
  }

  static ProviderFailure timeout() {
    return new ProviderFailure("timeout", false); // the attempt may still land: the caller's key makes a redo safe
  }

  boolean retryable() {
    return retryable;
  }

  /** A low-cardinality reason for metrics and logs. */
  String reason() {
    return reason;
  }
}
