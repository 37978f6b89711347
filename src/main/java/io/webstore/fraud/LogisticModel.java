package io.webstore.fraud;

import io.webstore.platform.config.RuntimeSettings.FraudModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The local scorer's model: {@code score = 1 / (1 + exp(-(bias + sum(weight * feature))))}. The reasons are the (at
 * most three) features that added most to the score.
 */
final class LogisticModel {

  private static final int MAX_REASONS = 3;

  private final double bias;
  private final double[] weights;

  LogisticModel(FraudModel model) {
    this.bias = model.bias();
    this.weights = new double[Signals.NAMES.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = model.weights().getOrDefault(Signals.NAMES.get(i), 0.0);
    }
  }

  /** The built-in models, used for an event the runtime settings give none (conf/runtime.json spells them out). */
  static final Map<FraudEvent, FraudModel> DEFAULTS = Map.of(
      FraudEvent.LOGIN, new FraudModel(-5.0, Map.of(
          Signals.ATTEMPTS_ACCOUNT, 0.5,
          Signals.ATTEMPTS_IP, 0.3,
          Signals.ATTEMPTS_DEVICE, 0.3,
          Signals.FAILED_LOGINS_IP, 2.0,
          Signals.FAILED_LOGINS_ACCOUNT, 1.0)),
      FraudEvent.PAYMENT, new FraudModel(-4.0, Map.of(
          Signals.ATTEMPTS_ACCOUNT, 0.3,
          Signals.ATTEMPTS_IP, 0.3,
          Signals.ATTEMPTS_CARD, 0.5,
          Signals.ATTEMPTS_DEVICE, 0.2,
          Signals.DISTINCT_CARDS_ACCOUNT, 0.9,
          Signals.FAILED_LOGINS_ACCOUNT, 0.5,
          Signals.AMOUNT_VS_HISTORY, 0.8,
          Signals.FIRST_PAYMENT, 0.3,
          Signals.YOUNG_ACCOUNT, 1.0,
          Signals.COUNTRY_MISMATCH, 1.2)));

  record Assessment(double score, List<String> reasons) {}

  Assessment assess(Signals signals) {
    double z = bias;
    List<Map.Entry<String, Double>> contributions = new ArrayList<>(MAX_REASONS + 1);
    int i = 0;
    for (Map.Entry<String, Double> feature : signals.values().entrySet()) {
      double contribution = weights[i++] * feature.getValue();
      z += contribution;
      if (contribution > 0) {
        contributions.add(Map.entry(feature.getKey(), contribution));
      }
    }
    contributions.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
    List<String> reasons = new ArrayList<>(MAX_REASONS + 1);
    for (int r = 0; r < Math.min(MAX_REASONS, contributions.size()); r++) {
      reasons.add(contributions.get(r).getKey());
    }
    if (signals.unavailable()) {
      reasons.add("velocity_unavailable");
    }
    return new Assessment(1.0 / (1.0 + Math.exp(-z)), reasons);
  }
}
