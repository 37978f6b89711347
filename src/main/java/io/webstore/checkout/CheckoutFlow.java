package io.webstore.checkout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.webstore.cart.CartLine;
import io.webstore.catalog.PriceQuote;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrdersClient.PlaceOrder;
import io.webstore.platform.error.CartCheckedOut;
import io.webstore.platform.error.InProgress;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.PaymentDeclined;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import io.webstore.platform.resilience.Retries;
import java.time.temporal.ChronoUnit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One checkout, as a request runs it, over the {@link SagaPorts}: price the cart, claim the key, claim the cart version priced, take the sale
 * allowance, hold the stock, authorize the payment, write the order, then {@linkplain Settlement#complete complete}.
 * The {@linkplain FraudScreening fraud screening} runs between the hold and the authorization: a block is rolled back
 * like a decline (403 {@code payment-refused}, nothing charged), a review (or the provider's risk flag) writes the
 * order in status {@code review}.
 * The cart claim makes one cart at most one order: a checkout of the same cart with another key is refused with 409
 * {@code cart-checked-out} (stored on its record like every rejection) before anything is held or charged. The claim is a conditional
 * put of the idempotency record: of concurrent requests with one key exactly one runs, the others wait (bounded) for
 * its stored answer and replay it. The steps are not recorded on the record: should the lease run out (recovery judged
 * the request dead and settled the checkout), the request's later steps meet recovery's fences (the voided payment key,
 * the burnt order id) and its answer cannot be stored ({@link LeaseLost}); it undoes its own steps and replays whatever
 * recovery stored.
 *
 * <p>Failures before the order write roll the checkout back and store the answer (409 out-of-stock or sale limit,
 * 402 declined, 503 unavailable). A 503 because a dependency gave no answer (the payment provider silent or its
 * circuit open) is stored as {@link CheckoutStep#RETRYABLE}: a retry with the same key and body runs the checkout again
 * as the key's next run, under new ids ({@link CheckoutIds#next()}), after voiding the run before it. After the order write was attempted the order item decides ({@link
 * Settlement#resolve}); when even that fails the record stays unfinished and recovery settles it after the lease.
 */
final class CheckoutFlow {

  private static final Logger log = LoggerFactory.getLogger(CheckoutFlow.class);
  /** The stored answer is not there yet: poll again (never leaves this class). */
  private static final Exception NOT_ANSWERED = new Exception("no stored answer yet", null, false, false) {};

  /** The answer to one request and how it came about (a metric tag). */
  record Answer(StoredResponse response, boolean replayed, String outcome) {}

  /** Either the plan of a cart that can be checked out, or why it cannot (stored as the answer). */
  private record Planned(Optional<CheckoutPlan> plan, Optional<DomainException> rejection) {}

  /** What this request has started so far; a rollback undoes exactly that. */
  private static final class Progress {
    boolean cart;
    boolean saleLimits;
    boolean hold;
    boolean payment;
    boolean orderWrite;

    Settlement.Undo undo() {
      return new Settlement.Undo(cart, saleLimits, hold, payment);
    }
  }

  private final CheckoutSettings settings;
  private final SagaPorts ports;
  private final IdempotencyStore records;
  private final Settlement settlement;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Retries answerPolls;
  private final FraudScreening screening;

  CheckoutFlow(Vertx vertx, CheckoutSettings settings, SagaPorts ports, Settlement settlement, MeterRegistry meters,
      Clock clock) {
    this.settings = settings;
    this.ports = ports;
    this.records = ports.records();
    this.settlement = settlement;
    this.meters = meters;
    this.clock = clock;
    this.screening = new FraudScreening(ports.risk(), settings.onFraudUnavailable(), meters);
    // polls back off from 20 ms to 250 ms; the request's deadline, not a count, ends them
    this.answerPolls = Retries.named("checkout.await-answer").attempts(Integer.MAX_VALUE)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(250))
        .retryIf(err -> err == NOT_ANSWERED)
        .metered(meters)
        .build(vertx);
  }

  Future<Answer> place(CheckoutRequest request) {
    Timer.Sample sample = Timer.start(meters);
    CheckoutIds ids = CheckoutIds.of(request.customerId(), request.idempotencyKey());
    String owner = "request-" + UUID.randomUUID();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as orders store it
    return plan(request, now)
        .compose(planned -> {
          IdempotencyRecord fresh = planned.plan()
              .map(plan -> IdempotencyRecord.started(ids, request, plan, owner, leaseUntil(), now))
              .orElseGet(() -> IdempotencyRecord.rejected(ids, request,
                  CheckoutJson.problem(planned.rejection().orElseThrow()), owner, now));
          return records.claim(fresh).compose(existing -> {
            if (existing.isPresent()) {
              return existing.get().step() == CheckoutStep.RETRYABLE
                  && existing.get().requestHash().equals(request.requestHash())
                  ? nextRun(existing.get(), request, planned, owner, now)
                  : replay(existing.get(), request);
            }
            if (fresh.finished()) {
              return Future.succeededFuture(new Answer(fresh.response().orElseThrow(), false,
                  outcome(planned.rejection().orElseThrow())));
            }
            log.debug("checkout.started checkout={} lines={}", ids.orderId(),
                fresh.plan().orElseThrow().lines().size());
            return run(fresh, request, now);
          });
        }, unpriced -> records.find(ids.recordId()).compose(existing -> existing.isPresent()
            ? replay(existing.get(), request) // e.g. the cart is gone because this key's checkout already ran
            : Future.failedFuture(unpriced)))
        .andThen(result -> {
          String outcome = result.succeeded() ? result.result().outcome() : failureOutcome(result.cause());
          Counter.builder("webstore.checkout.placed").tag("outcome", outcome).register(meters).increment();
          sample.stop(Timer.builder("webstore.checkout.duration").tag("outcome", outcome)
              .publishPercentileHistogram().register(meters));
        });
  }

  /**
   * The cart priced now; a rejection for what cannot be checked out; a failure for what may work on retry. The cart
   * is read unpriced and priced once, by the catalog's quotes now, with the lines its customer sees (those the
   * catalog sells, in the cart's currency). A cart that the live stock ledger already cannot cover is rejected here,
   * before the claim: in a flash sale most buyers are, and their answer then costs one write (the claim that stores
   * it) instead of claim, hold and rollback. The hold stays the judge for every cart that passes.
   */
  private Future<Planned> plan(CheckoutRequest request, Instant now) {
    return ports.carts().contents(request.customerId())
        .compose(cart -> {
          if (cart.checkout().isPresent()) { // a checkout of this cart is running (with another key)
            return Future.succeededFuture(rejected(new CartCheckedOut("this cart is being checked out by another "
                + "checkout; nothing was charged", cart.checkout().get().orderId())));
          }
          List<String> skus = cart.lines().stream().map(CartLine::sku).toList();
          return Future.all(ports.prices().prices(skus), ports.stock().availability(skus)).map(both -> {
            Map<String, PriceQuote> quotes = both.resultAt(0);
            Map<String, Integer> available = both.resultAt(1);
            try {
              CheckoutPlan plan = Pricing.plan(Pricing.shown(cart, quotes), quotes, now);
              List<String> shortSkus = plan.lines().stream()
                  .filter(line -> available.getOrDefault(line.sku(), 0) < line.quantity())
                  .map(OrderLine::sku).toList();
              return shortSkus.isEmpty() ? new Planned(Optional.of(plan), Optional.empty())
                  : rejected(new OutOfStock("not enough units of " + String.join(", ", shortSkus),
                      new JsonArray(shortSkus)));
            } catch (DomainException rejected) {
              return rejected(rejected);
            }
          });
        }, err -> err instanceof NotFound
            ? Future.succeededFuture(rejected(Pricing.emptyCart()))
            : Future.failedFuture(err));
  }

  /**
   * Runs the key again after a run that was rolled back because a dependency gave no answer: the record is replaced
   * (conditionally, so of concurrent retries one runs and the others wait for its answer) by the next run, planned now
   * and with new ids; what the cart plans to now (an approval, or a rejection such as sold out) is the key's answer.
   */
  private Future<Answer> nextRun(IdempotencyRecord retryable, CheckoutRequest request, Planned planned, String owner,
      Instant now) {
    CheckoutIds ids = retryable.ids().next();
    IdempotencyRecord next = planned.plan()
        .map(plan -> IdempotencyRecord.started(ids, request, plan, owner, leaseUntil(), now))
        .orElseGet(() -> IdempotencyRecord.rejected(ids, request,
            CheckoutJson.problem(planned.rejection().orElseThrow()), owner, now));
    return records.restart(retryable, next).compose(current -> {
      if (current.isPresent()) { // another retry started the run first
        return replay(current.get(), request);
      }
      log.info("checkout.retried checkout={} run={}", ids.orderId(), ids.run());
      if (next.finished()) {
        return Future.succeededFuture(new Answer(next.response().orElseThrow(), false,
            outcome(planned.rejection().orElseThrow())));
      }
      return run(next, request, now);
    });
  }

  private static Planned rejected(DomainException why) {
    return new Planned(Optional.empty(), Optional.of(why));
  }

  private Future<Answer> run(IdempotencyRecord record, CheckoutRequest request, Instant now) {
    CheckoutIds ids = record.ids();
    CheckoutPlan plan = record.plan().orElseThrow();
    String customerId = request.customerId();
    Progress progress = new Progress();
    return Future.<Void>succeededFuture()
        .compose(v -> {
          // the cart first: of two checkouts of one cart (two keys) only one gets past here, before any charge
          progress.cart = true;
          return ports.carts().claim(customerId, ids.claimId(), ids.orderId(), plan.cartVersion(), plan.units())
              // refused (claimed by another key, changed, gone): nothing was taken; but a claim that got no answer
              // (Unavailable: a timeout) may have landed, and a claim left behind would block the cart for good
              .onFailure(err -> progress.cart = !(err instanceof DomainException) || err instanceof Unavailable);
        })
        .compose(v -> {
          if (plan.claims().isEmpty()) {
            return Future.<Void>succeededFuture();
          }
          progress.saleLimits = true; // set before the call: a call that timed out may still have applied
          return ports.orders().claimSaleLimits(customerId, ids.claimId(), plan.claims());
        })
        .compose(v -> {
          progress.hold = true;
          return ports.stock().hold(ids.holdId(), plan.lines(), settings.holdTtl())
              .onFailure(err -> progress.hold = !(err instanceof OutOfStock)); // short: nothing was taken
        })
        // screened once the stock is held (the many buyers a sale turns away cost no score) and before the charge (a
        // block never charges)
        .compose(held -> screening.beforeCharge(request, ids.orderId(), plan.totals().total()))
        .compose(decision -> {
          if (decision == Decision.BLOCK) {
            return Future.failedFuture(FraudScreening.refused());
          }
          progress.payment = true;
          // no step is recorded on the idempotency record: recovery undoes everything a dead request may have done
          // whatever its step, and a request still running after a takeover is fenced by the void and the abort
          return previousRunVoided(ids).compose(v -> ports.payments().authorize(ids.paymentKey(),
                  plan.totals().total(), request.paymentToken(),
                  Map.of("customer_id", customerId, "order_id", ids.orderId())))
              .map(flagged -> screening.holdForReview(decision, ids.orderId(), flagged));
        })
        .compose(review -> {
          progress.orderWrite = true;
          PlaceOrder order = new PlaceOrder(ids.orderId(), customerId, plan.lines(), request.address(),
              ids.claimId(), ids.holdId(), ids.paymentKey(), plan.claims(), now, review);
          return ports.orders().place(order);
        })
        .compose(placed -> settlement.complete(record, placed))
        .map(response -> {
          log.info("checkout.placed checkout={} status={}", ids.orderId(), response.status());
          return new Answer(response, false, response.status() == 201 ? "placed" : "abandoned");
        })
        .recover(err -> failed(record, request, progress, err));
  }

  /**
   * Before a later run of a key authorizes, the run before it is voided once more. Its rollback voided it already, but
   * the provider may not have been told then (it gave no answer: that is why the run was rolled back), and it may yet
   * have authorized that key late; the void tells it now, so at most one run's authorization stands. Each run voids
   * the one before it before it authorizes, so all earlier runs are voided by induction.
   */
  private Future<Void> previousRunVoided(CheckoutIds ids) {
    return ids.run() == 0 ? Future.succeededFuture()
        : ports.payments().voidAuthorization(CheckoutIds.forRun(ids.recordId(), ids.run() - 1).paymentKey());
  }

  private Future<Answer> failed(IdempotencyRecord record, CheckoutRequest request, Progress progress,
      Throwable err) {
    String checkout = record.ids().orderId();
    if (err instanceof LeaseLost) {
      // recovery settles this checkout: undo our own steps unless our order may exist, then replay its answer
      log.warn("checkout.lease_lost checkout={}", checkout);
      Future<Void> undone = progress.orderWrite ? Future.succeededFuture()
          : settlement.undo(record, progress.undo()).recover(again -> Future.succeededFuture());
      return undone.compose(v -> awaitAnswer(record.ids().recordId(), deadline()))
          .map(response -> new Answer(response, true, "taken_over"));
    }
    Future<StoredResponse> settled;
    if (!progress.orderWrite) {
      DomainException answer = err instanceof Unavailable && progress.payment
          // the payment got no answer (provider silent, circuit open): rolled back with the payment key voided
          ? new Unavailable("the payment could not be completed right now; nothing was charged and the items were "
              + "released; retry shortly with the same Idempotency-Key")
          : err instanceof DomainException domain ? domain : new Unavailable(
              "the checkout failed; nothing was charged; place the order again with a new Idempotency-Key");
      if (!(err instanceof DomainException)) {
        log.warn("checkout.failed checkout={} error={}", checkout, err.toString());
      }
      // a dependency that gave no answer may answer the next run: the key stays open for a retry
      settled = settlement.rollBack(record, progress.undo(), answer,
          err instanceof Unavailable ? CheckoutStep.RETRYABLE : CheckoutStep.FAILED);
    } else {
      log.warn("checkout.unsettled checkout={} error={}", checkout, err.toString());
      settled = settlement.resolve(record, progress.undo());
    }
    return settled
        .map(response -> new Answer(response, false, outcome(err)))
        .recover(again -> {
          if (again instanceof LeaseLost) {
            return awaitAnswer(record.ids().recordId(), deadline())
                .map(response -> new Answer(response, true, "taken_over"));
          }
          // the record stays unfinished: recovery settles it once the lease ends, and a replay then answers
          log.warn("checkout.left_for_recovery checkout={} error={}", checkout, again.toString());
          return Future.failedFuture(new Unavailable("the checkout could not be settled yet; retry with the same "
              + "Idempotency-Key shortly"));
        });
  }

  private Future<Answer> replay(IdempotencyRecord existing, CheckoutRequest request) {
    if (!existing.requestHash().equals(request.requestHash())) {
      return Future.failedFuture(Validation.of("Idempotency-Key",
          "this Idempotency-Key was already used with a different request body"));
    }
    if (existing.finished()) {
      return Future.succeededFuture(new Answer(existing.response().orElseThrow(), true, "replayed"));
    }
    return awaitAnswer(existing.ids().recordId(), deadline())
        .map(response -> new Answer(response, true, "replayed"));
  }

  /** Polls the record (backing off) until it holds an answer, or gives up at {@code deadlineNanos}. */
  private Future<StoredResponse> awaitAnswer(String recordId, long deadlineNanos) {
    return answerPolls.run(() -> System.nanoTime() > deadlineNanos
        ? Future.failedFuture(new InProgress("a checkout with this Idempotency-Key is still in progress; retry "
            + "shortly with the same key", 1))
        : records.find(recordId).compose(found -> found.flatMap(IdempotencyRecord::response)
            .map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(NOT_ANSWERED))));
  }

  private long deadline() {
    return System.nanoTime() + settings.replayWait().toNanos();
  }

  private long leaseUntil() {
    return clock.millis() + settings.lease().toMillis();
  }

  private static String outcome(Throwable err) {
    if (err instanceof OutOfStock) {
      return "out_of_stock";
    }
    if (err instanceof PaymentDeclined) {
      return "payment_declined";
    }
    if (err instanceof DomainException domain) {
      return domain.kind().slug().replace('-', '_');
    }
    return "settled";
  }

  private static String failureOutcome(Throwable err) {
    if (err instanceof DomainException domain) {
      return "failed_" + domain.kind().slug().replace('-', '_');
    }
    return "error";
  }
}
