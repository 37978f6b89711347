package io.webstore.checkout;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import io.webstore.platform.resilience.SingleRun;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link CheckoutRecovery} at start and every {@code checkout.recoveryIntervalMs} (unless {@code
 * checkout.recoveryEnabled} is false), one pass at a time, and on demand at {@value CheckoutClient#RECOVER}. One instance per
 * process; several processes are safe, as each record is taken over by exactly one.
 */
final class CheckoutRecoveryVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(CheckoutRecoveryVerticle.class);

  private final Supplier<CheckoutRecovery> recoveries;
  private final CheckoutSettings settings;
  private CheckoutRecovery recovery;
  private long timer = -1;
  private final SingleRun<CheckoutRecovery.Pass> passes = new SingleRun<>();

  CheckoutRecoveryVerticle(Supplier<CheckoutRecovery> recoveries, CheckoutSettings settings) {
    this.recoveries = recoveries;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    recovery = recoveries.get();
    return vertx.eventBus().<JsonObject>consumer(CheckoutClient.RECOVER, this::recoverNow).completion()
        .onSuccess(ready -> {
          if (settings.recoveryEnabled()) {
            timer = vertx.setPeriodic(settings.recoveryInterval().toMillis(),
                tick -> passes.startIfIdle(this::loggedPass));
            pass(); // checkouts a crash left unfinished are settled at start, not only a period later
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void recoverNow(Message<JsonObject> msg) {
    pass()
        .onSuccess(done -> msg.reply(new JsonObject().put("found", done.found()).put("completed", done.completed())
            .put("rolled_back", done.rolledBack()).put("failed", done.failed())))
        .onFailure(err -> Replies.fail(msg, err));
  }

  /** A pass that starts after this call: asked for while one runs, it follows that one (shared by every asker). */
  private Future<CheckoutRecovery.Pass> pass() {
    return passes.runFresh(this::loggedPass);
  }

  private Future<CheckoutRecovery.Pass> loggedPass() {
    return recovery.runOnce()
        .onSuccess(done -> {
          if (done.found() > 0) {
            log.info("checkout.recovery.pass found={} completed={} rolled_back={} failed={}", done.found(),
                done.completed(), done.rolledBack(), done.failed());
          }
        })
        .onFailure(err -> log.warn("checkout.recovery.pass_failed error={}", err.toString()));
  }
}
