package io.webstore.payment;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.PaymentDeclined;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@link PaymentGateway} in memory, with the rules of {@link SandboxPaymentGateway}: the token decides (only {@link
 * SandboxPaymentGateway#APPROVE} approves), a key's first outcome is recorded once and answered to every repeat
 * (another amount on an authorized key is a {@link Conflict}), a void moves authorized to voided or, on a key with no
 * outcome yet, records a voided fence; declined and voided are final.
 */
final class InMemoryPaymentGateway implements PaymentGateway {

  private final Map<String, Authorization> outcomes = new HashMap<>();

  @Override
  public synchronized Future<Authorization> authorize(String idempotencyKey, Amount amount, String token,
      Map<String, String> metadata) {
    Authorization recorded = outcomes.computeIfAbsent(idempotencyKey, key -> {
      boolean approved = SandboxPaymentGateway.APPROVE.equals(token);
      return new Authorization(key, approved ? Authorization.Status.AUTHORIZED : Authorization.Status.DECLINED,
          amount, approved ? "mem_" + UUID.randomUUID() : "", Instant.now());
    });
    return switch (recorded.status()) {
      case DECLINED -> Future.failedFuture(new PaymentDeclined("the payment was declined"));
      case VOIDED -> Future.failedFuture(
          new Conflict("payment key " + idempotencyKey + " was voided; it cannot be charged"));
      case AUTHORIZED -> recorded.amount().equals(amount)
          ? Future.succeededFuture(recorded)
          : Future.failedFuture(
              new Conflict("payment key " + idempotencyKey + " was authorized for another amount"));
    };
  }

  @Override
  public synchronized Future<Authorization.Status> voidAuthorization(String idempotencyKey) {
    Authorization recorded = outcomes.get(idempotencyKey);
    if (recorded == null) {
      outcomes.put(idempotencyKey, new Authorization(idempotencyKey, Authorization.Status.VOIDED, null, "",
          Instant.now()));
      return Future.succeededFuture(Authorization.Status.VOIDED);
    }
    if (recorded.status() == Authorization.Status.AUTHORIZED) {
      outcomes.put(idempotencyKey, new Authorization(idempotencyKey, Authorization.Status.VOIDED, recorded.amount(),
          recorded.authorizationId(), Instant.now()));
      return Future.succeededFuture(Authorization.Status.VOIDED);
    }
    return Future.succeededFuture(recorded.status());
  }
}
