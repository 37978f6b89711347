package io.webstore.payment;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link PaymentGateway} in memory, with the rules of {@link DynamoPaymentGateway} over the {@link SandboxProvider}
 * for the tokens that answer at once: only {@link SandboxProvider#APPROVE} approves, a key's first outcome is recorded
 * once and answered to every repeat (another amount on an authorized key is a {@link Conflict}), a void moves
 * authorized to voided or, on a key with no outcome yet, records a voided fence; captures and refunds follow {@link
 * Authorization.Status#next()}.
 */
final class InMemoryPaymentGateway implements PaymentGateway {

  private final Map<String, Payment> payments = new HashMap<>();
  private final Map<String, Refund> refundsByKey = new HashMap<>();
  private final Map<String, String> refundsAsked = new HashMap<>();

  @Override
  public synchronized Future<Authorization> authorize(String idempotencyKey, Amount amount, String token,
      Map<String, String> metadata) {
    Payment recorded = payments.computeIfAbsent(idempotencyKey, key -> {
      boolean approved = SandboxProvider.APPROVE.equals(token);
      Amount zero = Amount.zero(amount.currency());
      return new Payment(key, approved ? Authorization.Status.AUTHORIZED : Authorization.Status.DECLINED, amount,
          zero, zero, 0, approved ? "mem_" + UUID.randomUUID() : "", approved ? "" : Declines.CARD_DECLINED, false,
          Instant.now());
    });
    return switch (recorded.status()) {
      case DECLINED -> Future.failedFuture(Declines.declined(recorded.declineCode()));
      case VOIDED -> Future.failedFuture(
          new Conflict("payment key " + idempotencyKey + " was voided; it cannot be charged"));
      case PENDING, ERROR -> Future.failedFuture(new IllegalStateException("not reached in memory"));
      case AUTHORIZED, CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> recorded.amount().equals(amount)
          ? Future.succeededFuture(new Authorization(idempotencyKey, recorded.status(), recorded.amount(),
              recorded.reference(), recorded.updatedAt(), recorded.review()))
          : Future.failedFuture(
              new Conflict("payment key " + idempotencyKey + " was authorized for another amount"));
    };
  }

  @Override
  public synchronized Future<Authorization.Status> voidAuthorization(String idempotencyKey) {
    Payment recorded = payments.get(idempotencyKey);
    if (recorded == null) {
      payments.put(idempotencyKey, new Payment(idempotencyKey, Authorization.Status.VOIDED, null, null, null, 0, "",
          "", false, Instant.now()));
      return Future.succeededFuture(Authorization.Status.VOIDED);
    }
    return switch (recorded.status()) {
      case AUTHORIZED, PENDING, ERROR -> {
        payments.put(idempotencyKey, with(recorded, Authorization.Status.VOIDED, recorded.captured(),
            recorded.refunded(), recorded.refunds()));
        yield Future.succeededFuture(Authorization.Status.VOIDED);
      }
      case VOIDED, DECLINED -> Future.succeededFuture(recorded.status());
      default -> Future.failedFuture(new Conflict("payment key " + idempotencyKey + " is "
          + recorded.status().wire() + "; it can no longer be voided"));
    };
  }

  @Override
  public synchronized Future<Payment> capture(String idempotencyKey) {
    Payment recorded = payments.get(idempotencyKey);
    if (recorded == null) {
      return Future.failedFuture(new NotFound("payment", idempotencyKey));
    }
    return switch (recorded.status()) {
      case CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> Future.succeededFuture(recorded);
      case AUTHORIZED -> {
        Payment captured = with(recorded, Authorization.Status.CAPTURED, recorded.amount(), recorded.refunded(), 0);
        payments.put(idempotencyKey, captured);
        yield Future.succeededFuture(captured);
      }
      default -> Future.failedFuture(new Conflict("payment key " + idempotencyKey + " is "
          + recorded.status().wire() + " and cannot become captured"));
    };
  }

  @Override
  public synchronized Future<Refund> refund(String idempotencyKey, Optional<Amount> requested,
      Optional<String> refundKey) {
    Payment recorded = payments.get(idempotencyKey);
    if (recorded == null) {
      return Future.failedFuture(new NotFound("payment", idempotencyKey));
    }
    String id = idempotencyKey + "#" + refundKey.orElse("auto-" + (recorded.refunds() + 1));
    String asked = requested.map(amount -> amount.text() + " " + amount.currency()).orElse("all");
    Refund before = refundsByKey.get(id);
    if (before != null) {
      if (!asked.equals(refundsAsked.get(id))) {
        return Future.failedFuture(refundKey.isPresent()
            ? Validation.of("Idempotency-Key", "this Idempotency-Key was already used for a refund of another amount")
            : new Conflict("payment key " + idempotencyKey + " was refunded meanwhile; reload and retry"));
      }
      return Future.succeededFuture(new Refund(recorded, before.number(), before.amount(), true));
    }
    if (recorded.status() != Authorization.Status.CAPTURED
        && recorded.status() != Authorization.Status.PARTIALLY_REFUNDED) {
      return Future.failedFuture(new Conflict("payment key " + idempotencyKey + " is " + recorded.status().wire()
          + " and cannot become refunded"));
    }
    Amount amount = requested.orElse(recorded.refundable());
    if (amount.value().signum() <= 0 || !amount.currency().equals(recorded.amount().currency())
        || amount.compareTo(recorded.refundable()) > 0) {
      return Future.failedFuture(Validation.of("/amount", "amount must be above 0 and at most the refundable"));
    }
    Amount refunded = recorded.refunded().plus(amount);
    Payment after = with(recorded, refunded.compareTo(recorded.captured()) == 0 ? Authorization.Status.REFUNDED
        : Authorization.Status.PARTIALLY_REFUNDED, recorded.captured(), refunded, recorded.refunds() + 1);
    payments.put(idempotencyKey, after);
    Refund refund = new Refund(after, after.refunds(), amount, false);
    refundsByKey.put(id, refund);
    refundsAsked.put(id, asked);
    return Future.succeededFuture(refund);
  }

  @Override
  public synchronized Future<Payment> find(String idempotencyKey) {
    Payment recorded = payments.get(idempotencyKey);
    return recorded == null ? Future.failedFuture(new NotFound("payment", idempotencyKey))
        : Future.succeededFuture(recorded);
  }

  private static Payment with(Payment payment, Authorization.Status status, Amount captured, Amount refunded,
      int refunds) {
    return new Payment(payment.key(), status, payment.amount(), captured, refunded, refunds, payment.reference(),
        payment.declineCode(), payment.review(), Instant.now());
  }
}
