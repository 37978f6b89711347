package io.webstore.fraud;

import java.util.List;
import java.util.Locale;

/**
 * The answer of {@code fraud.score}.
 *
 * @param score    0 (surely fine) to 1 (surely fraud)
 * @param decision what the caller should do
 * @param reasons  the features that pushed the score up most, or what replaced the scorer ({@code scorer_failed})
 * @param scorer   which scorer decided ({@code local}, {@code sagemaker}, {@code frauddetector}, or a failure policy)
 * @param retryAfterSeconds for a blocked login, how long the client should wait ({@code fraud.loginRetryAfterSeconds});
 *                 else 0
 */
public record FraudVerdict(double score, Decision decision, List<String> reasons, String scorer,
    long retryAfterSeconds) {

  /** allow: go on; review: go on but hold for a person (payments) ; block: refuse. */
  public enum Decision {
    ALLOW, REVIEW, BLOCK;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Decision fromWire(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  public FraudVerdict {
    reasons = List.copyOf(reasons);
  }

  FraudVerdict(double score, Decision decision, List<String> reasons, String scorer) {
    this(score, decision, reasons, scorer, 0);
  }

  FraudVerdict retryAfter(long seconds) {
    return new FraudVerdict(score, decision, reasons, scorer, seconds);
  }

  public boolean blocked() {
    return decision == Decision.BLOCK;
  }

  public boolean review() {
    return decision == Decision.REVIEW;
  }
}
