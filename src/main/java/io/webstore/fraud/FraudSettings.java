package io.webstore.fraud;

import io.webstore.platform.config.ConfigSection;
import io.webstore.platform.config.WebstoreConfig;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fraud feature's start-up config (section {@code fraud}; weights and thresholds are runtime settings instead).
 *
 * @param scorer             {@code local}, {@code sagemaker} or {@code frauddetector}
 * @param cardFingerprintKey the HMAC key of card fingerprints (secret: from the environment in AWS)
 * @param loginRetryAfter    the {@code Retry-After} of a blocked login
 * @param window             the attempt windows' span
 * @param failedLoginWindow  the failed-login windows' span
 * @param redisTimeout       how long a score waits for the velocity counters
 * @param remoteTimeout      how long a score waits for the remote scorer
 * @param onRemoteFailure    the failure policy per event
 * @param sageMaker          the SageMaker endpoint, when that is the scorer
 * @param fraudDetector      the Fraud Detector detector, when that is the scorer
 */
record FraudSettings(String scorer, String cardFingerprintKey, Duration loginRetryAfter, Duration window,
    Duration failedLoginWindow, Duration redisTimeout, Duration remoteTimeout,
    Map<FraudEvent, FailurePolicy> onRemoteFailure, Optional<SageMaker> sageMaker,
    Optional<FraudDetector> fraudDetector) {

  static final String SECTION = "fraud";

  /** {@code InvokeEndpoint} of {@code endpointName}; features sent as {@code text/csv} or {@code application/json}. */
  record SageMaker(String endpointName, String contentType, Optional<URI> endpoint) {}

  /** {@code GetEventPrediction} of {@code detectorId} for {@code eventTypeName} events of {@code entityType}. */
  record FraudDetector(String detectorId, Optional<String> detectorVersionId, String eventTypeName,
      String entityType, Optional<URI> endpoint) {}

  static FraudSettings from(WebstoreConfig config) {
    ConfigSection fraud = config.section("fraud");
    String scorer = fraud.oneOfOrDefault("scorer", "local", "local", "sagemaker", "frauddetector");
    Map<FraudEvent, FailurePolicy> onFailure = new EnumMap<>(FraudEvent.class);
    onFailure.put(FraudEvent.LOGIN, FailurePolicy.fromWire(fraud.oneOfOrDefault("onRemoteFailureLogin", "local", POLICIES)));
    onFailure.put(FraudEvent.PAYMENT, FailurePolicy.fromWire(fraud.oneOfOrDefault("onRemoteFailurePayment", "local", POLICIES)));
    Optional<SageMaker> sageMaker = !scorer.equals("sagemaker") ? Optional.empty()
        : Optional.of(new SageMaker(fraud.string("sagemakerEndpointName"),
            fraud.oneOfOrDefault("sagemakerContentType", "text/csv", "text/csv", "application/json"),
            fraud.optionalUri("sagemakerEndpoint")));
    Optional<FraudDetector> fraudDetector = !scorer.equals("frauddetector") ? Optional.empty()
        : Optional.of(new FraudDetector(fraud.string("frauddetectorDetectorId"),
            fraud.optionalString("frauddetectorDetectorVersionId"),
            fraud.string("frauddetectorEventTypeName"),
            fraud.stringOrDefault("frauddetectorEntityType", "customer"),
            fraud.optionalUri("frauddetectorEndpoint")));
    return new FraudSettings(scorer, fraud.string("cardFingerprintKey"),
        Duration.ofSeconds(fraud.integerOrDefault("loginRetryAfterSeconds", 60, 1, 86_400)),
        Duration.ofMillis(fraud.integerOrDefault("windowMs", 60_000, 1_000, 86_400_000)),
        Duration.ofMillis(fraud.integerOrDefault("failedLoginWindowMs", 3_600_000, 1_000, 86_400_000)),
        Duration.ofMillis(fraud.integerOrDefault("redisTimeoutMs", 250, 10, 60_000)),
        Duration.ofMillis(fraud.integerOrDefault("remoteTimeoutMs", 300, 10, 60_000)),
        onFailure, sageMaker, fraudDetector);
  }

  private static final String[] POLICIES = {"local", "allow", "block"};

  /** Never prints the key. */
  @Override
  public String toString() {
    return "FraudSettings[scorer=" + scorer + ", onRemoteFailure=" + onRemoteFailure + "]";
  }
}
