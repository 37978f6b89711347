package io.webstore.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.PaymentDeclined;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link PaymentGateway}, stated once and run against every adapter: a key carries at most one charge
 * (a retry answers the first outcome, another amount is a {@link Conflict}), a declining token is declined for good,
 * a void voids an authorization, a void before any authorization fences a late one out, and voiding is idempotent.
 */
@ExtendWith(VertxExtension.class)
abstract class PaymentGatewayContract {

  /** The approving token of the sandbox provider; any other declines. */
  protected static final String APPROVE = SandboxProvider.APPROVE;
  protected static final String DECLINE = SandboxProvider.DECLINE;
  private static final Amount AMOUNT = Amount.of("42.50", "EUR");
  private static final Map<String, String> METADATA = Map.of("customer_id", "c-1", "order_id", "ord_1");

  /** The adapter under test. */
  protected abstract Future<PaymentGateway> createGateway();

  private PaymentGateway gateway;

  @BeforeEach
  void gateway(VertxTestContext test) {
    createGateway().onComplete(test.succeeding(created -> {
      gateway = created;
      test.completeNow();
    }));
  }

  @Test
  void anApprovingTokenIsAuthorizedOnceAndARetryAnswersTheSameAuthorization(VertxTestContext test) {
    String key = key();
    gateway.authorize(key, AMOUNT, APPROVE, METADATA)
        .compose(first -> {
          test.verify(() -> {
            assertThat(first.key()).isEqualTo(key);
            assertThat(first.status()).isEqualTo(Authorization.Status.AUTHORIZED);
            assertThat(first.amount()).isEqualTo(AMOUNT);
            assertThat(first.authorizationId()).isNotEmpty();
          });
          return gateway.authorize(key, Amount.of("42.5", "EUR"), APPROVE, METADATA).map(again -> {
            test.verify(() -> assertThat(again).isEqualTo(first));
            return first;
          });
        })
        .compose(first -> gateway.authorize(key, AMOUNT, DECLINE, Map.of()).map(again -> {
          test.verify(() -> assertThat(again).as("the key's first outcome, whatever the token").isEqualTo(first));
          return again;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void anotherAmountOnAnAuthorizedKeyIsAConflict(VertxTestContext test) {
    String key = key();
    gateway.authorize(key, AMOUNT, APPROVE, METADATA)
        .compose(first -> gateway.authorize(key, Amount.of("42.51", "EUR"), APPROVE, METADATA)
            .transform(other -> {
              test.verify(() -> assertThat(other.cause()).isInstanceOf(Conflict.class));
              return gateway.authorize(key, AMOUNT, APPROVE, METADATA);
            })
            .map(again -> {
              test.verify(() -> assertThat(again).as("the first charge stands").isEqualTo(first));
              return again;
            }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aDecliningTokenIsDeclinedAndTheKeyStaysDeclined(VertxTestContext test) {
    String key = key();
    gateway.authorize(key, AMOUNT, DECLINE, METADATA)
        .transform(declined -> {
          test.verify(() -> assertThat(declined.cause()).isInstanceOf(PaymentDeclined.class));
          return gateway.authorize(key, AMOUNT, APPROVE, METADATA);
        })
        .transform(again -> {
          test.verify(() -> assertThat(again.cause()).as("a repeat, even approving")
              .isInstanceOf(PaymentDeclined.class));
          return gateway.voidAuthorization(key);
        })
        .compose(voided -> {
          test.verify(() -> assertThat(voided).isEqualTo(Authorization.Status.DECLINED));
          return gateway.authorize(key, AMOUNT, APPROVE, METADATA);
        })
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(PaymentDeclined.class);
          test.completeNow();
        })));
  }

  @Test
  void anyOtherTokenDeclines(VertxTestContext test) {
    gateway.authorize(key(), AMOUNT, "tok_" + UUID.randomUUID(), METADATA)
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(PaymentDeclined.class);
          test.completeNow();
        })));
  }

  @Test
  void aVoidedAuthorizationCannotBeChargedAgainAndVoidingAgainChangesNothing(VertxTestContext test) {
    String key = key();
    gateway.authorize(key, AMOUNT, APPROVE, METADATA)
        .compose(authorized -> gateway.voidAuthorization(key))
        .compose(voided -> {
          test.verify(() -> assertThat(voided).isEqualTo(Authorization.Status.VOIDED));
          return gateway.voidAuthorization(key);
        })
        .compose(again -> {
          test.verify(() -> assertThat(again).isEqualTo(Authorization.Status.VOIDED));
          return gateway.authorize(key, AMOUNT, APPROVE, METADATA);
        })
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(Conflict.class);
          test.completeNow();
        })));
  }

  @Test
  void aVoidBeforeAnyAuthorizationFencesALateOneOut(VertxTestContext test) {
    String key = key();
    gateway.voidAuthorization(key)
        .compose(voided -> {
          test.verify(() -> assertThat(voided).isEqualTo(Authorization.Status.VOIDED));
          return gateway.authorize(key, AMOUNT, APPROVE, METADATA);
        })
        .transform(late -> {
          test.verify(() -> assertThat(late.cause()).isInstanceOf(Conflict.class));
          return gateway.voidAuthorization(key);
        })
        .onComplete(test.succeeding(again -> test.verify(() -> {
          assertThat(again).isEqualTo(Authorization.Status.VOIDED);
          test.completeNow();
        })));
  }

  @Test
  void concurrentAuthorizationsOfOneKeyMakeOneCharge(VertxTestContext test) {
    String key = key();
    List<Future<Authorization>> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      attempts.add(gateway.authorize(key, AMOUNT, APPROVE, METADATA));
    }
    Future.all(attempts).onComplete(test.succeeding(all -> test.verify(() -> {
      assertThat(attempts).extracting(attempt -> attempt.result().authorizationId()).containsOnly(
          attempts.get(0).result().authorizationId());
      test.completeNow();
    })));
  }

  @Test
  void aVoidRacingAnAuthorizationLeavesTheKeyUnchargeable(VertxTestContext test) {
    String key = key();
    Future<Authorization> authorize = gateway.authorize(key, AMOUNT, APPROVE, METADATA);
    Future<Authorization.Status> voiding = gateway.voidAuthorization(key);
    Future.join(authorize, voiding).otherwiseEmpty()
        .compose(settled -> {
          test.verify(() -> {
            assertThat(voiding.result()).isEqualTo(Authorization.Status.VOIDED);
            if (authorize.failed()) {
              assertThat(authorize.cause()).as("fenced out").isInstanceOf(Conflict.class);
            }
          });
          return gateway.authorize(key, AMOUNT, APPROVE, METADATA);
        })
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(Conflict.class);
          test.completeNow();
        })));
  }

  @Test
  void aCapturedPaymentIsRefundedInPartsThenInFullAndNoFurther(VertxTestContext test) {
    String key = key();
    gateway.authorize(key, AMOUNT, APPROVE, METADATA)
        .compose(authorized -> gateway.capture(key))
        .compose(captured -> {
          test.verify(() -> {
            assertThat(captured.status()).isEqualTo(Authorization.Status.CAPTURED);
            assertThat(captured.captured()).isEqualTo(AMOUNT);
          });
          return gateway.capture(key);
        })
        .compose(again -> {
          test.verify(() -> assertThat(again.status()).as("a second capture changes nothing")
              .isEqualTo(Authorization.Status.CAPTURED));
          return gateway.refund(key, Optional.of(Amount.of("10.00", "EUR")));
        })
        .compose(partly -> {
          test.verify(() -> {
            assertThat(partly.status()).isEqualTo(Authorization.Status.PARTIALLY_REFUNDED);
            assertThat(partly.refunded()).isEqualTo(Amount.of("10.00", "EUR"));
            assertThat(partly.refundable()).isEqualTo(Amount.of("32.50", "EUR"));
          });
          return gateway.refund(key, Optional.of(Amount.of("32.51", "EUR")));
        })
        .transform(tooMuch -> {
          test.verify(() -> assertThat(tooMuch.cause()).isInstanceOf(Validation.class));
          return gateway.refund(key, Optional.empty());
        })
        .compose(fully -> {
          test.verify(() -> {
            assertThat(fully.status()).isEqualTo(Authorization.Status.REFUNDED);
            assertThat(fully.refunded()).isEqualTo(AMOUNT);
            assertThat(fully.refunds()).isEqualTo(2);
          });
          return gateway.refund(key, Optional.empty());
        })
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).as("nothing is left to refund").isInstanceOf(Conflict.class);
          test.completeNow();
        })));
  }

  @Test
  void illegalMovesAreConflictsAndChangeNothing(VertxTestContext test) {
    String authorized = key();
    String declined = key();
    String voided = key();
    gateway.authorize(authorized, AMOUNT, APPROVE, METADATA)
        .compose(done -> gateway.refund(authorized, Optional.empty()).transform(refund -> {
          test.verify(() -> assertThat(refund.cause()).as("refund before capture").isInstanceOf(Conflict.class));
          return gateway.authorize(declined, AMOUNT, DECLINE, METADATA).otherwiseEmpty();
        }))
        .compose(done -> gateway.capture(declined).transform(capture -> {
          test.verify(() -> assertThat(capture.cause()).as("capture of a decline").isInstanceOf(Conflict.class));
          return gateway.voidAuthorization(voided);
        }))
        .compose(done -> gateway.capture(voided).transform(capture -> {
          test.verify(() -> assertThat(capture.cause()).as("capture of a void").isInstanceOf(Conflict.class));
          return gateway.capture(authorized);
        }))
        .compose(captured -> gateway.voidAuthorization(authorized).transform(voiding -> {
          test.verify(() -> assertThat(voiding.cause()).as("void after capture").isInstanceOf(Conflict.class));
          return gateway.find(authorized);
        }))
        .onComplete(test.succeeding(after -> test.verify(() -> {
          assertThat(after.status()).isEqualTo(Authorization.Status.CAPTURED);
          test.completeNow();
        })));
  }

  private static String key() {
    return "pay-" + UUID.randomUUID();
  }
}
