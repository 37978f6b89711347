package io.webstore.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.shareddata.LocalMap;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.money.Amount;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retries of {@code payment.authorize} through the event bus of the shared store, over the sandbox provider: a key is
 * one charge however often, and however concurrently, it is authorized; a key whose provider call got no answer is
 * asked again under the same key, and a later answer makes it one charge.
 */
@WebstoreTest
class PaymentIdempotencyTest {

  private static final Amount AMOUNT = Amount.of("19.99", "USD");

  @Shared static Api api;
  static PaymentClient payments;
  static CheckoutFixtures fx;

  @BeforeAll
  static void start() {
    payments = new PaymentClient(api.store().vertx(), Duration.ofSeconds(10));
    fx = new CheckoutFixtures(api);
  }

  @Test
  void aRetriedAuthorizeWithTheSameKeyIsOneCharge() {
    String key = "pay_" + UUID.randomUUID();
    Map<String, String> metadata = Map.of("customer_id", "c-" + key, "order_id", "ord_" + key);
    Authorization first = Engines.await(payments.authorize(key, AMOUNT, SandboxProvider.APPROVE, metadata));
    Authorization retried = Engines.await(payments.authorize(key, AMOUNT, SandboxProvider.APPROVE, metadata));
    List<Authorization> concurrent = Engines.await(Future.all(List.of(
            payments.authorize(key, AMOUNT, SandboxProvider.APPROVE, metadata),
            payments.authorize(key, AMOUNT, SandboxProvider.APPROVE, metadata),
            payments.authorize(key, AMOUNT, SandboxProvider.APPROVE, metadata)))
        .map(all -> all.<Authorization>list()));

    assertThat(first.status()).isEqualTo(Authorization.Status.AUTHORIZED);
    assertThat(retried).isEqualTo(first);
    assertThat(concurrent).extracting(Authorization::authorizationId).containsOnly(first.authorizationId());
    assertThat(sandboxCalls(key)).as("the repeats were answered from the record").isEqualTo(1);
    assertThat(sandbox(SandboxProvider.CHARGES).get(key)).isEqualTo(first.authorizationId());
    assertThat(fx.payments(List.of("c-" + key))).singleElement()
        .satisfies(item -> assertThat(item.get("status").s()).isEqualTo("authorized"));
  }

  @Test
  void aKeyWithoutAnAnswerIsAskedAgainUnderTheSameKey() {
    String key = "pay_" + UUID.randomUUID();
    Map<String, String> metadata = Map.of("customer_id", "c-" + key, "order_id", "ord_" + key);
    Throwable noAnswer = Engines.awaitFailure(payments.authorize(key, AMOUNT, SandboxProvider.TIMEOUT, metadata),
        Duration.ofSeconds(20));
    assertThat(noAnswer).isInstanceOf(Unavailable.class);
    assertThat(Engines.await(payments.get(key)).status()).isEqualTo(Authorization.Status.ERROR);

    Authorization later = Engines.await(payments.authorize(key, AMOUNT, SandboxProvider.APPROVE, metadata));
    assertThat(later.status()).isEqualTo(Authorization.Status.AUTHORIZED);
    assertThat(sandboxCalls(key)).isEqualTo(2);
    assertThat(Engines.await(payments.authorize(key, AMOUNT, SandboxProvider.APPROVE, metadata))).isEqualTo(later);
    assertThat(sandboxCalls(key)).isEqualTo(2);
  }

  private static int sandboxCalls(String key) {
    Object calls = sandbox(SandboxProvider.CALLS).get(key);
    return calls == null ? 0 : (Integer) calls;
  }

  private static LocalMap<String, Object> sandbox(String map) {
    return api.store().vertx().sharedData().<String, Object>getLocalMap(map);
  }
}
