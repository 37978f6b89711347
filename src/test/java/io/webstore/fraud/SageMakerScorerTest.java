package io.webstore.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
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
 * The SageMaker scorer with the real async SDK client (sagemakerruntime 2.40.2) against a local stub of {@code
 * InvokeEndpoint}: {@code POST /endpoints/<name>/invocations}, the model's input as the body, its output as the
 * answer. Payments fail closed here, logins fall back to the local model (the shared test model allows them).
 */
@WebstoreTest
class SageMakerScorerTest {

  static ServiceStub sageMaker;
  static WebStore store;
  static FraudClient fraud;

  @BeforeAll
  static void start(Stores stores) {
    sageMaker = new ServiceStub();
    store = stores.start(new JsonObject().put("fraud", new JsonObject()
        .put("scorer", "sagemaker")
        .put("sagemakerEndpointName", "fraud-model")
        .put("sagemakerEndpoint", sageMaker.endpoint())
        .put("remoteTimeoutMs", 1_000)
        .put("redisTimeoutMs", 5_000)
        .put("onRemoteFailureLogin", "local")
        .put("onRemoteFailurePayment", "block")));
    fraud = new FraudClient(store.vertx());
  }

  @AfterAll
  static void stop() {
    sageMaker.close();
  }

  @BeforeEach
  void clear() {
    sageMaker.seen.clear();
  }

  static FraudVerdict pay(String cardToken) {
    return Engines.await(fraud.score(FraudRequest.payment("c-" + UUID.randomUUID(), "10.1.2.3", cardToken,
        new BigDecimal("120.00"), "EUR").withCountries("DE", "FR")));
  }

  @Test
  void theEndpointsScoreDecidesByTheConfiguredThresholds() {
    String token = "tok_" + UUID.randomUUID();
    sageMaker.answer(200, "text/csv", "0.95");
    FraudVerdict blocked = pay(token);
    sageMaker.answer(200, "text/csv", "0.75\n");
    FraudVerdict review = pay(token);
    sageMaker.answer(200, "application/json", "{\"predictions\":[{\"score\":0.1,\"predicted_label\":0}]}");
    FraudVerdict allowed = pay(token);

    assertThat(blocked.decision()).isEqualTo(Decision.BLOCK);
    assertThat(blocked.score()).isEqualTo(0.95);
    assertThat(blocked.scorer()).isEqualTo("sagemaker");
    assertThat(review.decision()).isEqualTo(Decision.REVIEW);
    assertThat(allowed.decision()).isEqualTo(Decision.ALLOW);
    assertThat(allowed.score()).isEqualTo(0.1);

    assertThat(sageMaker.seen).hasSize(3).allSatisfy(request -> {
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.path()).isEqualTo("/endpoints/fraud-model/invocations");
      assertThat(request.contentType()).isEqualTo("text/csv");
      assertThat(request.body().split(",")).hasSize(Signals.NAMES.size());
      assertThat(request.body()).doesNotContain(token);
    });
    String[] row = sageMaker.seen.get(0).body().split(",");
    assertThat(row[Signals.NAMES.indexOf(Signals.COUNTRY_MISMATCH)]).isEqualTo("1.000000");
    assertThat(row[Signals.NAMES.indexOf(Signals.FIRST_PAYMENT)]).isEqualTo("1.000000");
  }

  @Test
  void whenTheEndpointDoesNotAnswerEachEventFollowsItsPolicy() {
    sageMaker.stall();

    FraudVerdict payment = pay("tok_" + UUID.randomUUID());
    FraudVerdict login = Engines.await(fraud.score(FraudRequest.login("a-" + UUID.randomUUID() + "@example.com",
        "10.1.2.4")));

    assertThat(payment.decision()).as("payments fail closed").isEqualTo(Decision.BLOCK);
    assertThat(payment.scorer()).isEqualTo("fail_closed");
    assertThat(payment.reasons()).containsExactly("sagemaker_unavailable");
    assertThat(login.decision()).as("logins fall back to the local model").isEqualTo(Decision.ALLOW);
    assertThat(login.scorer()).isEqualTo("local_fallback");
    assertThat(login.reasons()).contains("sagemaker_unavailable");
    assertThat(sageMaker.seen).as("both were sent").hasSizeGreaterThanOrEqualTo(2);

    Counter closed = store.services().meters().find("webstore.fraud.fallbacks")
        .tags("event", "payment", "policy", "block").counter();
    Counter fellBack = store.services().meters().find("webstore.fraud.fallbacks")
        .tags("event", "login", "policy", "local").counter();
    assertThat(closed).isNotNull();
    assertThat(closed.count()).isGreaterThanOrEqualTo(1);
    assertThat(fellBack).isNotNull();
    assertThat(fellBack.count()).isGreaterThanOrEqualTo(1);
    assertThat(store.services().meters().find("webstore.fraud.remote.failures").tags("scorer", "sagemaker")
        .counters()).isNotEmpty();
  }
}
