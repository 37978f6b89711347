package io.webstore.inventory;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.webstore.catalog.CatalogClient;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.resilience.SingleRun;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@code inventory.*} addresses and runs the sweeper: every {@code sweepIntervalMs} it returns expired
 * holds, rolls forward stuck commits and, when the ledger's ready marker is gone (Redis lost its data), rebuilds it.
 * Any number of instances may run: the scripts are atomic and the rebuild lock admits one rebuilder.
 */
final class InventoryVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InventoryVerticle.class);

  private final Services services;
  private final InventorySettings config;
  private Inventory inventory;
  private LedgerRebuild rebuild;
  private StockAlerts alerts;
  private long sweeper = -1;
  private final SingleRun<Integer> sweeps = new SingleRun<>();

  private final UnaryOperator<StockRecords> decorate;

  public InventoryVerticle(Services services, InventorySettings config, UnaryOperator<StockRecords> decorate) {
    this.services = services;
    this.config = config;
    this.decorate = decorate;
  }

  @Override
  public Future<?> start() {
    StockRecordGuard guard = new StockRecordGuard(config.dynamoInFlight(), config.ledgerQueue(),
        config.ledgerQueueTimeout(), services.meters());
    StockRecords stock = decorate.apply(
        new DynamoStockRecords(table(InventoryFeature.STOCK_TABLE, "pk").guardedBy(guard)));
    HoldRecords holds = new DynamoHoldRecords(table(InventoryFeature.HOLDS_TABLE, "hold_id").guardedBy(guard),
        config.holdRetention());
    StockEvents events = sku -> vertx.eventBus().publish(InventoryClient.CHANGED, new JsonObject().put("sku", sku));
    Clock clock = Clock.systemUTC();
    KnownSkus catalog = new KnownSkus(new CatalogClient(vertx), config.knownSkus());
    return RedisStockLedger.create(vertx, services.redisApi(), services.meters(),
            services.config().redis().commandTimeout(), config.tombstone(), config.rollForward(),
            () -> context.runOnContext(v -> rebuild.trigger()), services.config().redis().poolSize(),
            config.ledgerQueue(), config.ledgerQueueTimeout())
        .compose(ledger -> {
          inventory = new Inventory(ledger, stock, holds, events, config, clock, services.meters());
          rebuild = new LedgerRebuild(ledger, stock, holds, events, config, clock, services.meters());
          InventoryFeed feed = new InventoryFeed(inventory, catalog, config.feedConcurrency(), services.meters());
          Inventory.IN_PROCESS.register(vertx, inventory);
          alerts = new StockAlerts(vertx, ledger::availability, config.lowStockThreshold(), config.knownSkus(), clock,
              services.meters());
          return Future.all(List.of(
              vertx.eventBus().<JsonObject>localConsumer(InventoryClient.CHANGED,
                  msg -> alerts.changed(msg.body().getString("sku"))).completion(),
              consume(InventoryClient.FEED, feed::apply),
              consume(InventoryClient.AVAILABILITY, body -> inventory.availability(InventoryRequests.skus(body))
                  .map(available -> {
                    JsonObject units = new JsonObject();
                    available.forEach(units::put);
                    return new JsonObject().put("available", units);
                  })),
              consume(InventoryClient.HOLD, body -> {
                String holdId = InventoryRequests.holdId(body);
                return inventory.hold(holdId, InventoryRequests.lines(body), InventoryRequests.ttl(body, config))
                    .map(hold -> new JsonObject().put("hold_id", hold.holdId())
                        .put("expires_at", hold.expiresAt().toString()));
              }),
              consume(InventoryClient.COMMIT, body -> {
                String holdId = InventoryRequests.holdId(body);
                return inventory.commit(holdId).map(done -> new JsonObject().put("hold_id", holdId)
                    .put("committed", true));
              }),
              consume(InventoryClient.RELEASE, body -> {
                String holdId = InventoryRequests.holdId(body);
                return inventory.release(holdId).map(returned -> new JsonObject().put("hold_id", holdId)
                    .put("returned", returned));
              }),
              consume(InventoryClient.RESTOCK, body -> {
                String sku = InventoryRequests.sku(body);
                String operationId = InventoryRequests.operationId(body);
                return inventory.restock(sku, InventoryRequests.quantity(body), InventoryRequests.reason(body),
                        operationId)
                    .map(applied -> new JsonObject().put("sku", sku).put("operation_id", operationId)
                        .put("applied", applied));
              }),
              consume(InventoryClient.SET, body -> inventory.set(InventoryRequests.sku(body),
                  InventoryRequests.onHand(body), InventoryRequests.sequence(body)).map(InventoryJson::level)),
              consume(InventoryClient.GET, body -> inventory.get(InventoryRequests.sku(body))
                  .map(InventoryJson::level))));
        })
        .compose(consumers -> awaitReady())
        .onSuccess(ready -> sweeper = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> sweep()));
  }

  /** Start-up waits (bounded) for a usable ledger; if it is not, holds answer 503 until the sweeper rebuilds it. */
  private Future<Void> awaitReady() {
    return rebuild.ensureReady()
        .timeout(config.readyWait().toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(ready -> log.info("inventory.started ready={}", ready))
        .onFailure(err -> log.warn("inventory.started ready=false error={}", err.toString()))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  private void sweep() {
    sweeps.startIfIdle(() -> inventory.sweep()
            .recover(err -> err instanceof LedgerNotReady
                ? rebuild.ensureReady().map(0)
                : Future.failedFuture(err)))
        .ifPresent(swept -> swept.onComplete(done -> {
          if (done.failed()) {
            log.warn("inventory.sweep.failed error={}", done.cause().toString());
          } else if (done.result() >= config.sweepBatch()) {
            sweep(); // a backlog: keep going rather than wait for the next tick
          }
        }));
  }

  private Future<?> consume(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> handle(msg, handler)).completion();
  }

  private static void handle(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      if (msg.body() == null) {
        throw Validation.of("", "a JSON object body is required");
      }
      reply = handler.apply(msg.body());
    } catch (RuntimeException invalid) {
      reply = Future.failedFuture(invalid);
    }
    reply.onSuccess(msg::reply).onFailure(err -> Replies.fail(msg, err));
  }

  @Override
  public Future<?> stop() {
    if (inventory != null) {
      Inventory.IN_PROCESS.unregister(vertx, inventory);
    }
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    if (alerts != null) {
      alerts.stop();
    }
    return Future.succeededFuture();
  }

  private DynamoTable table(String name, String key) {
    return DynamoTable.of(vertx, services.aws().dynamo(), services.meters(), "webstore.inventory.dynamo.calls",
        services.config().dynamo().table(name), key);
  }
}
