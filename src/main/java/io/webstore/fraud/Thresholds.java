package io.webstore.fraud;

import io.webstore.fraud.FraudVerdict.Decision;

/** Score to decision: at or above {@code review} per mille review, at or above {@code block} per mille block. */
record Thresholds(int review, int block) {

  Decision decide(double score) {
    double perMille = score * 1000;
    if (perMille >= block) {
      return Decision.BLOCK;
    }
    return perMille >= review ? Decision.REVIEW : Decision.ALLOW;
  }
}
