package io.webstore.fraud;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.config.WebstoreConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.frauddetector.FraudDetectorAsyncClient;
import software.amazon.awssdk.services.frauddetector.model.Entity;
import software.amazon.awssdk.services.frauddetector.model.GetEventPredictionResponse;
import software.amazon.awssdk.services.frauddetector.model.ModelScores;
import software.amazon.awssdk.services.frauddetector.model.RuleResult;

/**
 * An Amazon Fraud Detector detector ({@code GetEventPrediction}), for accounts that already have one (the service
 * takes no new customers since November 2025). Event variables: the request's known fields ({@code ip_address},
 * {@code email_address}, {@code card_fingerprint}, {@code amount}, {@code currency}, {@code shipping_country}, {@code
 * billing_country}, {@code device_id}) and every local feature by its name; the detector's event type must declare
 * the ones it uses. Score: the highest model score (Fraud Detector scores 0 to 1000) over 1000; the rules' outcomes
 * become the reasons.
 */
final class FraudDetectorScorer implements RemoteScorer {

  static final String NAME = "frauddetector";

  private final Vertx vertx;
  private final FraudDetectorAsyncClient client;
  private final FraudSettings.FraudDetector detector;

  FraudDetectorScorer(Vertx vertx, FraudDetectorAsyncClient client, FraudSettings.FraudDetector detector) {
    this.vertx = vertx;
    this.client = client;
    this.detector = detector;
  }

  static FraudDetectorScorer create(Vertx vertx, WebstoreConfig.Aws aws, FraudSettings settings) {
    FraudSettings.FraudDetector detector = settings.fraudDetector().orElseThrow();
    return new FraudDetectorScorer(vertx, RemoteClients.configure(FraudDetectorAsyncClient.builder(), aws,
        settings.remoteTimeout(), detector.endpoint()).build(), detector);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<RemoteScore> score(FraudRequest request, Signals signals) {
    String entity = request.account() != null ? request.account() : "unknown";
    return AwsFutures.on(vertx, client.getEventPrediction(call -> {
      call.detectorId(detector.detectorId())
          .eventId(UUID.randomUUID().toString())
          .eventTypeName(detector.eventTypeName())
          .eventTimestamp(Instant.now().toString())
          .entities(Entity.builder().entityType(detector.entityType()).entityId(entity).build())
          .eventVariables(variables(request, signals));
      detector.detectorVersionId().ifPresent(call::detectorVersionId);
    })).map(FraudDetectorScorer::score);
  }

  static Map<String, String> variables(FraudRequest request, Signals signals) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("ip_address", request.ip());
    putIfKnown(variables, "email_address", request.email());
    putIfKnown(variables, "device_id", request.deviceId());
    putIfKnown(variables, "amount", request.amount() == null ? null : request.amount().toPlainString());
    putIfKnown(variables, "currency", request.currency());
    putIfKnown(variables, "shipping_country", request.shippingCountry());
    putIfKnown(variables, "billing_country", request.billingCountry());
    signals.values().forEach((name, value) -> variables.put(name, String.format(Locale.ROOT, "%.6f", value)));
    return variables;
  }

  private static RemoteScore score(GetEventPredictionResponse response) {
    double highest = -1;
    for (ModelScores model : response.modelScores()) {
      for (Float value : model.scores().values()) {
        highest = Math.max(highest, value);
      }
    }
    if (highest < 0) {
      throw new IllegalStateException("the detector answered no model score");
    }
    List<String> reasons = new ArrayList<>();
    for (RuleResult rule : response.ruleResults()) {
      rule.outcomes().forEach(outcome -> reasons.add("outcome:" + outcome));
    }
    return new RemoteScore(Math.min(1.0, highest / 1000.0), reasons);
  }

  private static void putIfKnown(Map<String, String> variables, String name, String value) {
    if (value != null) {
      variables.put(name, value);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
