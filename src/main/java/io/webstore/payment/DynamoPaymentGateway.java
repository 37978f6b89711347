package io.webstore.payment;

import static io.webstore.platform.dynamo.Attrs.n;
import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Landed;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import io.webstore.platform.resilience.Retries;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The payment records ({@code payments} table, one item per payment key, {@code pk}) in front of a {@link
 * PaymentProvider}. Every write is a single-item conditional write that moves the record along {@link
 * Authorization.Status#next()}; a move the table does not allow is a {@link Conflict}.
 *
 * <p>An authorization first writes a {@code pending} record ({@code attribute_not_exists(pk)}): a repeat of the key
 * finds it and answers the key's outcome, so a key is charged at most once, and the provider (called with the same key
 * when a pending or failed authorization is redone) deduplicates what it saw. A void moves the record to {@code
 * voided} before it tells the provider; on a key with no record yet it writes a {@code voided} fence, which turns a
 * late authorization of that key away. Captures and refunds call the provider with operation keys derived from the
 * payment key ({@code <key>:capture}, {@code <key>:refund:<n>}) and then record the move, conditioned on the state
 * they read. The token is never stored; the provider's {@code review} flag is.
 */
final class DynamoPaymentGateway implements PaymentGateway {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("payments", TableSpec.Key.string("pk"));

  private static final Logger log = LoggerFactory.getLogger(DynamoPaymentGateway.class);
  private static final String METRIC = "webstore.payment.dynamo.calls";
  private static final int VOID_ATTEMPTS = 3;

  private final DynamoTable table;
  private final PaymentProvider provider;
  private final ProviderCalls calls;
  private final Clock clock;
  /** A void whose fence lost to an authorization that started in between is redone at once: it now voids that. */
  private final Retries voids;
  /** A refund or a provider event that lost its conditional write to a concurrent change decides again on a re-read. */
  private final Retries refunds;

  DynamoPaymentGateway(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters,
      PaymentProvider provider, ProviderCalls calls, Clock clock) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
    this.provider = provider;
    this.calls = calls;
    this.clock = clock;
    this.voids = Retries.named("payment.void").attempts(VOID_ATTEMPTS).noBackoff()
        .retryIf(err -> err instanceof ChangedMeanwhile).metered(meters).build(vertx);
    this.refunds = Retries.named("payment.refund").attempts(VOID_ATTEMPTS).noBackoff()
        .retryIf(err -> err instanceof ChangedMeanwhile).metered(meters).build(vertx);
  }

  @Override
  public Future<Authorization> authorize(String key, Amount amount, String token, Map<String, String> metadata) {
    String now = clock.instant().toString();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(key));
    item.put("status", s(Authorization.Status.PENDING.wire()));
    item.put("amount", s(amount.text()));
    item.put("currency", s(amount.currency()));
    item.put("captured", s("0.00"));
    item.put("refunded", s("0.00"));
    item.put("refunds", n(0));
    item.put("created_at", s(now));
    item.put("updated_at", s(now));
    Map<String, AttributeValue> meta = new HashMap<>();
    metadata.forEach((name, value) -> meta.put(name, s(value)));
    item.put("metadata", AttributeValue.fromM(meta));
    return table.put("authorize", item, Condition.absent("pk"))
        .map(written -> payment(key, written))
        // the key has a record already: an earlier request of the same checkout, or a void that came first
        .recover(err -> err instanceof ConditionFailed failed && failed.current().isPresent()
            ? Future.succeededFuture(payment(key, failed.current().get()))
            : Future.failedFuture(err))
        .compose(recorded -> switch (recorded.status()) {
          case DECLINED -> Future.failedFuture(Declines.declined(recorded.declineCode()));
          case VOIDED -> Future.failedFuture(new Conflict("payment key " + key + " was voided; it cannot be charged"));
          case PENDING, ERROR -> sameAmount(recorded, amount).compose(same -> charge(key, amount, token));
          case AUTHORIZED, CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> sameAmount(recorded, amount)
              .map(same -> authorization(recorded));
        });
  }

  private static Future<Payment> sameAmount(Payment recorded, Amount amount) {
    return recorded.amount().equals(amount) ? Future.succeededFuture(recorded)
        : Future.failedFuture(new Conflict("payment key " + recorded.key() + " was authorized for another amount"));
  }

  /** Asks the provider (again, for a redo: same key) and records its answer on a pending or failed record. */
  private Future<Authorization> charge(String key, Amount amount, String token) {
    return calls.run("authorize", () -> provider.authorize(key, amount, token)).transform(asked -> {
      if (asked.failed()) {
        Throwable failure = asked.cause();
        if (!(failure instanceof Unavailable)) {
          return Future.failedFuture(failure);
        }
        // no answer: the record says so; the key may be tried again, or voided (which voids at the provider too)
        return move(key, Authorization.Status.ERROR, Update.create().set("#reason = :reason")
                .name("#reason", "error_reason").value(":reason", s("no_answer")), Landed.whenItem(item -> false))
            .transform(recorded -> Future.failedFuture(failure));
      }
      ProviderDecision decision = asked.result();
      if (!decision.approved()) {
        return move(key, Authorization.Status.DECLINED, Update.create().set("#code = :code")
                .name("#code", "decline_code").value(":code", s(decision.declineCode())),
                Landed.whenItem(item -> is(item, Authorization.Status.DECLINED)))
            .transform(recorded -> Future.failedFuture(Declines.declined(decision.declineCode())));
      }
      return move(key, Authorization.Status.AUTHORIZED, Update.create()
              .set("#reference = :reference, #review = :review")
              .name("#reference", "reference").name("#review", "review")
              .value(":reference", s(decision.reference()))
              .value(":review", Attrs.bool(decision.review())),
          Landed.whenItem(item -> is(item, Authorization.Status.AUTHORIZED)
              && decision.reference().equals(string(item, "reference"))))
          .map(recorded -> authorization(payment(key, recorded)))
          .recover(err -> {
            if (!(err instanceof ConditionFailed failed) || failed.current().isEmpty()) {
              return Future.failedFuture(err);
            }
            Payment current = payment(key, failed.current().get());
            if (current.status() == Authorization.Status.VOIDED) {
              // voided while the provider was asked: the void told the provider too; the charge never stands
              return Future.failedFuture(new Conflict("payment key " + key + " was voided; it cannot be charged"));
            }
            return current.status() == Authorization.Status.AUTHORIZED
                ? Future.succeededFuture(authorization(current))
                : Future.failedFuture(conflict(current, Authorization.Status.AUTHORIZED));
          });
    });
  }

  /** Moves a pending or failed record to {@code target} with {@code extra} set. */
  private Future<Map<String, AttributeValue>> move(String key, Authorization.Status target, Update extra,
      Landed landed) {
    Update update = extra.set("#status = :target, updated_at = :now")
        .name("#status", "status")
        .value(":target", s(target.wire()))
        .value(":now", s(clock.instant().toString()));
    Condition open = Condition.of("#status IN (:pending, :error)").name("#status", "status")
        .value(":pending", s(Authorization.Status.PENDING.wire()))
        .value(":error", s(Authorization.Status.ERROR.wire()));
    return table.update("record_" + target.wire(), Map.of("pk", s(key)), update, open, landed);
  }

  @Override
  public Future<Authorization.Status> voidAuthorization(String key) {
    return voids.run(() -> voidAttempt(key))
        .recover(err -> Future.failedFuture(err instanceof ChangedMeanwhile
            ? new Conflict("payment key " + key + " keeps changing")
            : err));
  }

  /** A record appeared between the void's two writes. */
  private static final class ChangedMeanwhile extends RuntimeException {
    ChangedMeanwhile() {
      super("a payment record appeared while voiding", null, false, false);
    }
  }

  private Future<Authorization.Status> voidAttempt(String key) {
    String now = clock.instant().toString();
    Update voided = Update.create()
        .set("#status = :voided, updated_at = :now")
        .name("#status", "status")
        .value(":voided", s(Authorization.Status.VOIDED.wire()))
        .value(":now", s(now));
    Condition voidable = Condition.of("#status IN (:pending, :authorized, :error)").name("#status", "status")
        .value(":pending", s(Authorization.Status.PENDING.wire()))
        .value(":authorized", s(Authorization.Status.AUTHORIZED.wire()))
        .value(":error", s(Authorization.Status.ERROR.wire()));
    return table.update("void", Map.of("pk", s(key)), voided, voidable)
        .compose(done -> voidAtProvider(key))
        .recover(err -> {
          if (!(err instanceof ConditionFailed failed)) {
            return Future.failedFuture(err);
          }
          if (failed.current().isPresent()) {
            Map<String, AttributeValue> item = failed.current().get();
            Payment current = payment(key, item);
            return switch (current.status()) {
              // voided before, perhaps with the provider not yet told (its call failed): tell it again
              case VOIDED -> item.containsKey("provider_voided") ? Future.succeededFuture(Authorization.Status.VOIDED)
                  : voidAtProvider(key);
              case DECLINED -> Future.succeededFuture(Authorization.Status.DECLINED);
              // voidable after all: the item read after the refusal is not the one refused (an authorization's
              // first write landed between the two), so the next attempt voids it
              case PENDING, AUTHORIZED, ERROR -> Future.failedFuture(new ChangedMeanwhile());
              default -> Future.failedFuture(new Conflict("payment key " + key + " is " + current.status().wire()
                  + "; it can no longer be voided (refund it instead)"));
            };
          }
          // nothing yet: fence the key, so that a late authorization is turned away without reaching the provider
          return table.put("fenceVoid", Map.of("pk", s(key), "status", s(Authorization.Status.VOIDED.wire()),
                  "created_at", s(now), "updated_at", s(now), "fence", Attrs.bool(true),
                  "provider_voided", Attrs.bool(true)), Condition.absent("pk"))
              .map(fenced -> Authorization.Status.VOIDED)
              .recover(putErr -> putErr instanceof ConditionFailed
                  ? Future.failedFuture(new ChangedMeanwhile()) // the next attempt voids what appeared
                  : Future.failedFuture(putErr));
        });
  }

  /**
   * Voids whatever the provider may hold for the key, then notes that it was told. A provider that cannot be reached
   * (no answer, open circuit) does not fail the void: the record is voided, so nothing can be captured or charged
   * under the key; it stays without {@code provider_voided}, and the next void of the key tells the provider.
   */
  private Future<Authorization.Status> voidAtProvider(String key) {
    return calls.run("void", () -> provider.voidAuthorization(key + ":void", key))
        .compose(told -> table.update("voidTold", Map.of("pk", s(key)),
            Update.create().set("#told = :yes").name("#told", "provider_voided")
                .value(":yes", Attrs.bool(true)),
            Condition.of("#status = :voided").name("#status", "status")
                .value(":voided", s(Authorization.Status.VOIDED.wire())),
            Landed.whenItem(item -> item.containsKey("provider_voided"))))
        .map(done -> Authorization.Status.VOIDED)
        .recover(err -> {
          if (!(err instanceof Unavailable)) {
            return Future.failedFuture(err);
          }
          log.warn("payment.void.provider_not_told key={} reason={}", key, err.getMessage());
          return Future.succeededFuture(Authorization.Status.VOIDED);
        });
  }

  @Override
  public Future<Payment> capture(String key) {
    return find(key).compose(current -> switch (current.status()) {
      case CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> Future.succeededFuture(current); // captured before
      case AUTHORIZED -> calls.run("capture", () -> provider.capture(key + ":capture", current.reference(),
              current.amount()))
          .compose(captured -> table.update("capture", Map.of("pk", s(key)), Update.create()
                  .set("#status = :captured, #captured = :amount, updated_at = :now")
                  .name("#status", "status").name("#captured", "captured")
                  .value(":captured", s(Authorization.Status.CAPTURED.wire()))
                  .value(":amount", s(current.amount().text()))
                  .value(":now", s(clock.instant().toString())),
              Condition.of("#status = :authorized").name("#status", "status")
                  .value(":authorized", s(Authorization.Status.AUTHORIZED.wire())),
              Landed.whenItem(item -> !is(item, Authorization.Status.AUTHORIZED)
                  && !is(item, Authorization.Status.VOIDED))))
          .map(item -> payment(key, item))
          .recover(err -> err instanceof ConditionFailed failed && failed.current().isPresent()
              ? Future.failedFuture(conflict(payment(key, failed.current().get()), Authorization.Status.CAPTURED))
              : Future.failedFuture(err));
      default -> Future.failedFuture(conflict(current, Authorization.Status.CAPTURED));
    });
  }

  @Override
  public Future<Refund> refund(String key, Optional<Amount> requested, Optional<String> refundKey) {
    return refunds.run(() -> refundAttempt(key, requested, refundKey))
        .recover(err -> Future.failedFuture(err instanceof ChangedMeanwhile
            ? new Conflict("payment key " + key + " was refunded meanwhile; reload and retry")
            : err));
  }

  /**
   * One attempt: a refund key seen before is answered from its reservation (redoing the provider call if it never
   * finished); a new one is validated against the record as read and reserved on it, conditional on the number of
   * refunds read (a concurrent refund makes the attempt start over and validate again), then sent to the provider.
   */
  private Future<Refund> refundAttempt(String key, Optional<Amount> requested, Optional<String> refundKey) {
    return table.get("find", Map.of("pk", s(key))).compose(found -> {
      if (found.isEmpty() || isWebhook(key)) {
        return Future.failedFuture(new NotFound("payment", key));
      }
      Map<String, AttributeValue> item = found.get();
      Payment current = payment(key, item);
      // without a key, the refund is named by the refunds before it: two requests that read one state make one refund
      String id = refundKey.orElse("auto-" + (current.refunds() + 1));
      String attribute = RefundEntry.attribute(id);
      String asked = requested.map(amount -> amount.text() + " " + amount.currency()).orElse("all");
      if (item.containsKey(attribute)) {
        return replayRefund(key, item, attribute, asked, refundKey.isPresent());
      }
      if (current.status() != Authorization.Status.CAPTURED
          && current.status() != Authorization.Status.PARTIALLY_REFUNDED) {
        return Future.failedFuture(conflict(current, Authorization.Status.REFUNDED));
      }
      Amount refundable = current.refundable();
      Amount amount = requested.orElse(refundable);
      if (!amount.currency().equals(refundable.currency()) || amount.value().signum() <= 0
          || amount.compareTo(refundable) > 0) {
        return Future.failedFuture(Validation.of("/amount", "amount must be above 0 and at most the " + refundable
            + " still refundable"));
      }
      RefundEntry entry = new RefundEntry(current.refunds() + 1, amount, asked, false);
      return reserve(key, current, attribute, entry)
          .compose(reserved -> reserved.map(Future::succeededFuture)
              .orElseGet(() -> Future.failedFuture(new ChangedMeanwhile())))
          .compose(reserved -> reserved.containsKey(attribute) && entry.equals(RefundEntry.parse(
                  reserved.get(attribute).s()))
              ? executeRefund(key, current.reference(), attribute, entry, false)
              : replayRefund(key, reserved, attribute, asked, refundKey.isPresent()));
    });
  }

  /**
   * Counts {@code entry} on the record (status, refunded, refunds) and keeps it under {@code attribute}, if the
   * record still has the refunds read and no entry under that attribute. The item after the write; the item as it is
   * when another request reserved the same refund key first; empty when another refund landed meanwhile.
   */
  private Future<Optional<Map<String, AttributeValue>>> reserve(String key, Payment current, String attribute,
      RefundEntry entry) {
    Amount refunded = current.refunded().plus(entry.amount());
    Authorization.Status target = refunded.compareTo(current.captured()) == 0
        ? Authorization.Status.REFUNDED : Authorization.Status.PARTIALLY_REFUNDED;
    return table.update("refund", Map.of("pk", s(key)), Update.create()
                .set("#status = :target, #refunded = :refunded, #refunds = :number, #entry = :entry, updated_at = :now")
                .name("#status", "status").name("#refunded", "refunded").name("#refunds", "refunds")
                .name("#entry", attribute)
                .value(":target", s(target.wire()))
                .value(":refunded", s(refunded.text()))
                .value(":number", n(entry.number()))
                .value(":entry", s(entry.text()))
                .value(":now", s(clock.instant().toString())),
            Condition.of("#refunds = :previous AND attribute_not_exists(#entry)").name("#refunds", "refunds")
                .name("#entry", attribute).value(":previous", n(current.refunds())),
            Landed.byWriteId())
        .map(Optional::of)
        .recover(err -> {
          if (!(err instanceof ConditionFailed failed) || failed.current().isEmpty()) {
            return Future.failedFuture(err);
          }
          return Future.succeededFuture(failed.current().filter(item -> item.containsKey(attribute)));
        });
  }

  /** The answer for a refund key already reserved: its refund (the provider asked again if it never answered). */
  private Future<Refund> replayRefund(String key, Map<String, AttributeValue> item, String attribute, String asked,
      boolean keyGiven) {
    RefundEntry entry = RefundEntry.parse(item.get(attribute).s());
    if (!entry.asked().equals(asked)) {
      return Future.failedFuture(keyGiven
          ? Validation.of("Idempotency-Key", "this Idempotency-Key was already used for a refund of another amount")
          : new Conflict("payment key " + key + " was refunded meanwhile; reload and retry"));
    }
    return entry.done() ? Future.succeededFuture(new Refund(payment(key, item), entry.number(), entry.amount(), true))
        : executeRefund(key, string(item, "reference"), attribute, entry, true);
  }

  /** Asks the provider for the reserved refund (its operation key follows its number) and marks it done. */
  private Future<Refund> executeRefund(String key, String reference, String attribute, RefundEntry entry,
      boolean replayed) {
    RefundEntry done = new RefundEntry(entry.number(), entry.amount(), entry.asked(), true);
    return calls.run("refund", () -> provider.refund(key + ":refund:" + entry.number(), reference, entry.amount()))
        .compose(told -> table.update("refundDone", Map.of("pk", s(key)), Update.create()
                .set("#entry = :done").name("#entry", attribute).value(":done", s(done.text())),
            Condition.of("attribute_exists(#entry)").name("#entry", attribute), Landed.byWriteId()))
        .map(item -> new Refund(payment(key, item), entry.number(), entry.amount(), replayed));
  }

  /**
   * Applies a verified provider event to its payment record along the state machine: a move the record allows is
   * made (conditional on the status read; a concurrent change makes it decide again); a move made already is {@code
   * already_applied}; any other is {@code illegal_transition} and changes nothing. A refund event that names one of
   * our refunds ({@code operation_key} {@code <key>:refund:<n>} with {@code n} counted) was counted when it was
   * reserved; another (made at the provider) is counted as a new refund if enough is left.
   */
  Future<ProviderEvent.Outcome> apply(ProviderEvent event) {
    return refunds.run(() -> applyOnce(event));
  }

  private Future<ProviderEvent.Outcome> applyOnce(ProviderEvent event) {
    String key = event.paymentKey();
    if (key.isEmpty() || isWebhook(key)) {
      return Future.succeededFuture(ProviderEvent.Outcome.UNKNOWN_PAYMENT);
    }
    return table.get("find", Map.of("pk", s(key))).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(ProviderEvent.Outcome.UNKNOWN_PAYMENT);
      }
      Payment current = payment(key, found.get());
      Authorization.Status status = current.status();
      return switch (event.type()) {
        case ProviderEvent.AUTHORIZED -> switch (status) {
          case PENDING, ERROR -> moveOnEvent(key, status, Authorization.Status.AUTHORIZED, Update.create()
              .set("#reference = :reference").name("#reference", "reference")
              .value(":reference", s(event.reference().isEmpty() ? current.reference() : event.reference())));
          case AUTHORIZED, CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> already();
          default -> illegal();
        };
        case ProviderEvent.CAPTURED -> switch (status) {
          case AUTHORIZED -> {
            Amount captured = event.amount().orElse(current.amount());
            yield !fits(captured, current.amount()) ? illegal()
                : moveOnEvent(key, status, Authorization.Status.CAPTURED, Update.create()
                    .set("#captured = :captured").name("#captured", "captured").value(":captured", s(captured.text())));
          }
          case CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> already();
          default -> illegal();
        };
        case ProviderEvent.VOIDED -> switch (status) {
          case PENDING, AUTHORIZED, ERROR -> moveOnEvent(key, status, Authorization.Status.VOIDED, Update.create()
              .set("#told = :yes").name("#told", "provider_voided").value(":yes", Attrs.bool(true)));
          case VOIDED -> already();
          default -> illegal();
        };
        case ProviderEvent.FAILED -> switch (status) {
          case PENDING, ERROR -> moveOnEvent(key, status, Authorization.Status.DECLINED, Update.create()
              .set("#code = :code").name("#code", "decline_code")
              .value(":code", s(event.declineCode().isEmpty() ? Declines.CARD_DECLINED : event.declineCode())));
          case DECLINED -> already();
          default -> illegal();
        };
        case ProviderEvent.REFUNDED -> refundedAtProvider(event, current);
        default -> Future.succeededFuture(ProviderEvent.Outcome.IGNORED_TYPE);
      };
    });
  }

  private Future<ProviderEvent.Outcome> refundedAtProvider(ProviderEvent event, Payment current) {
    String ours = current.key() + ":refund:";
    Optional<Integer> number = event.operationKey().filter(key -> key.startsWith(ours))
        .flatMap(key -> {
          try {
            return Optional.of(Integer.parseInt(key.substring(ours.length())));
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        });
    if (number.isPresent() && number.get() <= current.refunds()) {
      return already(); // one of ours: counted when it was reserved
    }
    if (current.status() != Authorization.Status.CAPTURED
        && current.status() != Authorization.Status.PARTIALLY_REFUNDED) {
      return illegal();
    }
    Amount amount = event.amount().orElse(current.refundable());
    if (!fits(amount, current.refundable())) {
      return illegal();
    }
    RefundEntry entry = new RefundEntry(current.refunds() + 1, amount, "event", true);
    return reserve(current.key(), current, RefundEntry.attribute("event:" + event.id()), entry)
        .compose(reserved -> reserved.isPresent() ? Future.succeededFuture(ProviderEvent.Outcome.APPLIED)
            : Future.failedFuture(new ChangedMeanwhile()));
  }

  /** Whether {@code amount} is above zero, at most {@code limit}, and in its currency. */
  private static boolean fits(Amount amount, Amount limit) {
    return limit != null && amount.currency().equals(limit.currency()) && amount.value().signum() > 0
        && amount.compareTo(limit) <= 0;
  }

  private Future<ProviderEvent.Outcome> moveOnEvent(String key, Authorization.Status from, Authorization.Status to,
      Update extra) {
    Update update = extra.set("#status = :to, updated_at = :now").name("#status", "status")
        .value(":to", s(to.wire())).value(":now", s(clock.instant().toString()));
    return table.update("event_" + to.wire(), Map.of("pk", s(key)), update,
            Condition.of("#status = :from").name("#status", "status").value(":from", s(from.wire())))
        .map(moved -> ProviderEvent.Outcome.APPLIED)
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed ? new ChangedMeanwhile() : err));
  }

  private static Future<ProviderEvent.Outcome> already() {
    return Future.succeededFuture(ProviderEvent.Outcome.ALREADY_APPLIED);
  }

  private static Future<ProviderEvent.Outcome> illegal() {
    return Future.succeededFuture(ProviderEvent.Outcome.ILLEGAL_TRANSITION);
  }

  private static boolean isWebhook(String key) {
    return key.startsWith(Webhooks.PREFIX);
  }

  @Override
  public Future<Payment> find(String key) {
    return table.get("find", Map.of("pk", s(key))).map(item -> item.map(found -> payment(key, found))
        .orElseThrow(() -> new NotFound("payment", key)));
  }

  private static Conflict conflict(Payment current, Authorization.Status target) {
    return new Conflict("payment key " + current.key() + " is " + current.status().wire() + " and cannot become "
        + target.wire(), new JsonObject().put("payment_status", current.status().wire())
        .put("allowed", new JsonArray(current.status().next().stream().map(Authorization.Status::wire).sorted()
            .toList())));
  }

  private static boolean is(Map<String, AttributeValue> item, Authorization.Status status) {
    return status.wire().equals(string(item, "status"));
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.s() == null ? "" : value.s();
  }

  private static Authorization authorization(Payment payment) {
    return new Authorization(payment.key(), payment.status(), payment.amount(), payment.reference(),
        payment.updatedAt(), payment.review());
  }

  static Payment payment(String key, Map<String, AttributeValue> item) {
    Authorization.Status status = Authorization.Status.fromWire(item.get("status").s());
    String currency = string(item, "currency");
    Amount amount = item.containsKey("amount") ? Amount.of(item.get("amount").s(), currency) : null;
    return new Payment(key, status, amount,
        amount == null ? null : Amount.of(string(item, "captured").isEmpty() ? "0" : string(item, "captured"),
            currency),
        amount == null ? null : Amount.of(string(item, "refunded").isEmpty() ? "0" : string(item, "refunded"),
            currency),
        (int) Attrs.number(item, "refunds", 0), string(item, "reference"), string(item, "decline_code"),
        item.containsKey("review") && Boolean.TRUE.equals(item.get("review").bool()),
        Instant.parse(item.get("updated_at").s()));
  }
}
