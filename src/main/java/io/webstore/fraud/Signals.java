package io.webstore.fraud;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features of one scored event, by name, in a fixed order (the order of a SageMaker CSV row). Counts are
 * log-scaled ({@code ln(count)} of attempts including this one, {@code ln(1 + failures)}), so that a weight means
 * "per e-fold"; flags are 0 or 1.
 *
 * @param values      feature name to value, in {@link #NAMES} order
 * @param unavailable whether the velocity counters could not be read (they count as 0, and the verdict says so)
 */
record Signals(Map<String, Double> values, boolean unavailable) {

  static final String ATTEMPTS_ACCOUNT = "attempts_account";
  static final String ATTEMPTS_IP = "attempts_ip";
  static final String ATTEMPTS_CARD = "attempts_card";
  static final String ATTEMPTS_DEVICE = "attempts_device";
  static final String DISTINCT_CARDS_ACCOUNT = "distinct_cards_account";
  static final String FAILED_LOGINS_IP = "failed_logins_ip";
  static final String FAILED_LOGINS_ACCOUNT = "failed_logins_account";
  static final String AMOUNT_VS_HISTORY = "amount_vs_history";
  static final String FIRST_PAYMENT = "first_payment";
  static final String YOUNG_ACCOUNT = "young_account";
  static final String COUNTRY_MISMATCH = "country_mismatch";

  /** Every feature, in the order of a CSV row. */
  static final List<String> NAMES = List.of(ATTEMPTS_ACCOUNT, ATTEMPTS_IP, ATTEMPTS_CARD, ATTEMPTS_DEVICE,
      DISTINCT_CARDS_ACCOUNT, FAILED_LOGINS_IP, FAILED_LOGINS_ACCOUNT, AMOUNT_VS_HISTORY, FIRST_PAYMENT, YOUNG_ACCOUNT,
      COUNTRY_MISMATCH);

  /** An account younger than this counts as young, linearly less so as it ages. */
  static final Duration YOUNG = Duration.ofDays(30);

  Signals {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** What the velocity counters said about the request (see {@code fraud/velocity.lua}). */
  record Counts(long account, long ip, long card, long device, long cards, long failedIp, long failedAccount,
      long historyCount, BigDecimal historySum) {
    static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO);
  }

  static Signals of(FraudRequest request, Counts counts, Instant now, boolean unavailable) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(ATTEMPTS_ACCOUNT, logCount(counts.account()));
    values.put(ATTEMPTS_IP, logCount(counts.ip()));
    values.put(ATTEMPTS_CARD, logCount(counts.card()));
    values.put(ATTEMPTS_DEVICE, logCount(counts.device()));
    values.put(DISTINCT_CARDS_ACCOUNT, (double) Math.max(0, counts.cards() - 1));
    values.put(FAILED_LOGINS_IP, Math.log1p(counts.failedIp()));
    values.put(FAILED_LOGINS_ACCOUNT, Math.log1p(counts.failedAccount()));
    values.put(AMOUNT_VS_HISTORY, amountVsHistory(request.amount(), counts));
    values.put(FIRST_PAYMENT, request.event() == FraudEvent.PAYMENT && request.amount() != null
        && counts.historyCount() == 0 && !unavailable ? 1.0 : 0.0);
    values.put(YOUNG_ACCOUNT, youth(request.accountCreatedAt(), now));
    values.put(COUNTRY_MISMATCH, request.shippingCountry() != null && request.billingCountry() != null
        && !request.shippingCountry().equalsIgnoreCase(request.billingCountry()) ? 1.0 : 0.0);
    return new Signals(values, unavailable);
  }

  private static double logCount(long count) {
    return count <= 1 ? 0.0 : Math.log(count);
  }

  /** How many e-folds above the account's mean payment this one is (0 when below, or without history). */
  private static double amountVsHistory(BigDecimal amount, Counts counts) {
    if (amount == null || counts.historyCount() == 0 || counts.historySum().signum() <= 0) {
      return 0.0;
    }
    BigDecimal mean = counts.historySum().divide(BigDecimal.valueOf(counts.historyCount()), MathContext.DECIMAL64);
    double ratio = amount.divide(mean, MathContext.DECIMAL64).doubleValue();
    return ratio <= 1 ? 0.0 : Math.log(ratio);
  }

  private static double youth(Instant createdAt, Instant now) {
    if (createdAt == null) {
      return 0.0;
    }
    double age = Math.max(0, Duration.between(createdAt, now).toMillis());
    return Math.max(0.0, 1.0 - age / YOUNG.toMillis());
  }
}
