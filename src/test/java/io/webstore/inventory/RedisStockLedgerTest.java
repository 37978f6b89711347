package io.webstore.inventory;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.webstore.platform.bootstrap.Services;
import io.webstore.testing.ContractTables;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;

/**
 * The stock-ledger contract on the embedded Redis of the shared store. Each ledger's keys are under a prefix of its
 * own ({@code ledger-contract-<uuid>{1}:}), never the store's {@link RedisStockLedger#PREFIX}: the store's sweeper
 * and rebuilds do not see them, and a contract rebuild or "flush" (deleting the prefix's keys) does not touch the
 * store's ledger. The keys are deleted after each test.
 */
class RedisStockLedgerTest extends StockLedgerContract {

  private final Map<StockLedger, String> prefixes = new ConcurrentHashMap<>();

  @Override
  protected Future<StockLedger> createLedger(Duration tombstone, Duration rollForward, Runnable onNotReady) {
    Services services = ContractTables.services();
    String prefix = "ledger-contract-" + UUID.randomUUID() + "{1}:";
    return RedisStockLedger.create(services.vertx(), services.redisApi(), prefix, services.meters(),
            services.config().redis().commandTimeout(), tombstone, rollForward, onNotReady,
            services.config().redis().poolSize(), 100, Duration.ofSeconds(2))
        .map(ledger -> {
          prefixes.put(ledger, prefix);
          return ledger;
        });
  }

  @Override
  protected Future<Void> loseData(StockLedger ledger) {
    return deleteKeys(prefixes.get(ledger));
  }

  @AfterEach
  void deleteEveryLedgersKeys() {
    Engines.await(Future.all(prefixes.values().stream().map(this::deleteKeys).toList()));
    prefixes.clear();
  }

  private Future<Void> deleteKeys(String prefix) {
    RedisAPI redis = ContractTables.services().redisApi();
    return scan(redis, prefix, "0", new ArrayList<>())
        .compose(keys -> keys.isEmpty() ? Future.succeededFuture() : redis.del(keys))
        .mapEmpty();
  }

  private static Future<List<String>> scan(RedisAPI redis, String prefix, String cursor, List<String> keys) {
    return redis.scan(List.of(cursor, "MATCH", prefix + "*", "COUNT", "1000")).compose(reply -> {
      reply.get(1).forEach(key -> keys.add(key.toString()));
      String next = reply.get(0).toString();
      return "0".equals(next) ? Future.succeededFuture(keys) : scan(redis, prefix, next, keys);
    });
  }
}
