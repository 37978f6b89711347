package io.webstore.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Amazon Fraud Detector scorer with the real async SDK client (frauddetector 2.40.2) against a local stub of
 * {@code GetEventPrediction} (AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target}). Payments fail open here.
 */
@WebstoreTest
class FraudDetectorScorerTest {

  static ServiceStub detector;
  static WebStore store;
  static FraudClient fraud;

  @BeforeAll
  static void start(Stores stores) {
    detector = new ServiceStub();
    store = stores.start(new JsonObject().put("fraud", new JsonObject()
        .put("scorer", "frauddetector")
        .put("frauddetectorDetectorId", "webstore_detector")
        .put("frauddetectorEventTypeName", "payment_attempt")
        .put("frauddetectorEndpoint", detector.endpoint())
        .put("remoteTimeoutMs", 1_000)
        .put("redisTimeoutMs", 5_000)
        .put("onRemoteFailurePayment", "allow")));
    fraud = new FraudClient(store.vertx());
  }

  @AfterAll
  static void stop() {
    detector.close();
  }

  @BeforeEach
  void clear() {
    detector.seen.clear();
  }

  static FraudVerdict pay(String account) {
    return Engines.await(fraud.score(FraudRequest.payment(account, "10.2.3.4", "tok_" + UUID.randomUUID(),
        new BigDecimal("80.00"), "USD")));
  }

  static String prediction(double score, String outcome) {
    return new JsonObject()
        .put("modelScores", new io.vertx.core.json.JsonArray().add(new JsonObject()
            .put("modelVersion", new JsonObject().put("modelId", "webstore_model")
                .put("modelType", "ONLINE_FRAUD_INSIGHTS").put("modelVersionNumber", "1.0"))
            .put("scores", new JsonObject().put("webstore_model_insightscore", score))))
        .put("ruleResults", new io.vertx.core.json.JsonArray().add(new JsonObject().put("ruleId", "r1")
            .put("outcomes", new io.vertx.core.json.JsonArray().add(outcome))))
        .encode();
  }

  @Test
  void theDetectorsModelScoreDecidesAndItsOutcomesAreTheReasons() {
    String account = "c-" + UUID.randomUUID();
    detector.answer(200, "application/x-amz-json-1.1", prediction(950, "investigate"));
    FraudVerdict blocked = pay(account);
    detector.answer(200, "application/x-amz-json-1.1", prediction(120, "approve"));
    FraudVerdict allowed = pay(account);

    assertThat(blocked.decision()).isEqualTo(Decision.BLOCK);
    assertThat(blocked.score()).isEqualTo(0.95);
    assertThat(blocked.reasons()).containsExactly("outcome:investigate");
    assertThat(blocked.scorer()).isEqualTo("frauddetector");
    assertThat(allowed.decision()).isEqualTo(Decision.ALLOW);
    assertThat(allowed.score()).isEqualTo(0.12);

    assertThat(detector.seen).hasSize(2);
    ServiceStub.Seen call = detector.seen.get(0);
    assertThat(call.target()).isEqualTo("AWSHawksNestServiceFacade.GetEventPrediction");
    JsonObject body = new JsonObject(call.body());
    assertThat(body.getString("detectorId")).isEqualTo("webstore_detector");
    assertThat(body.getString("eventTypeName")).isEqualTo("payment_attempt");
    assertThat(body.getJsonArray("entities").getJsonObject(0).getString("entityId")).isEqualTo(account);
    JsonObject variables = body.getJsonObject("eventVariables");
    assertThat(variables.getString("ip_address")).isEqualTo("10.2.3.4");
    assertThat(variables.getString("amount")).isEqualTo("80.00");
    assertThat(variables.getString(Signals.FIRST_PAYMENT)).isEqualTo("1.000000");
    assertThat(call.body()).doesNotContain("tok_");
  }

  @Test
  void aFailingDetectorLetsPaymentsThroughWhenTheyFailOpen() {
    detector.answer(500, "application/x-amz-json-1.1",
        "{\"__type\":\"InternalServerException\",\"message\":\"boom\"}");

    FraudVerdict verdict = pay("c-" + UUID.randomUUID());

    assertThat(verdict.decision()).isEqualTo(Decision.ALLOW);
    assertThat(verdict.scorer()).isEqualTo("fail_open");
    assertThat(verdict.reasons()).containsExactly("frauddetector_unavailable");
    assertThat(detector.seen).as("the SDK's bounded retries of a retryable error").hasSizeBetween(1, 3);
  }
}
