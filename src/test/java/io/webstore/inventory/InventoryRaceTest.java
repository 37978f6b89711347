package io.webstore.inventory;

import static io.webstore.inventory.InventoryBus.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import io.webstore.platform.error.OutOfStock;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** Concurrent holds and commits through the real ledger (Redis) and records (DynamoDB): never oversell. */
@WebstoreTest
class InventoryRaceTest {

  @Shared static Api api;
  static InventoryBus bus;

  @BeforeAll
  static void start() {
    bus = new InventoryBus(api.store().vertx());
  }

  /** Outcome counts of a batch of requests: successes and each failure type by simple name. */
  private static Map<String, List<Integer>> outcomes(List<Future<JsonObject>> requests) {
    Engines.await(Future.join(requests).recover(err -> Future.succeededFuture()));
    Map<String, List<Integer>> byOutcome = new ConcurrentHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      Future<JsonObject> request = requests.get(i);
      String outcome = request.succeeded() ? "ok" : request.cause().getClass().getSimpleName();
      byOutcome.computeIfAbsent(outcome, k -> new ArrayList<>()).add(i);
    }
    return byOutcome;
  }

  @Test
  void thousandConcurrentHoldsOfOneUnitOnAHundredGrantExactlyAHundredAndCommitsTakeEachOnce() {
    String sku = InventoryBus.sku("RACE");
    bus.set(sku, 100);
    List<String> holdIds = new ArrayList<>();
    List<Future<JsonObject>> holds = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      String holdId = InventoryBus.holdId();
      holdIds.add(holdId);
      holds.add(bus.hold(holdId, line(sku, 1)));
    }
    Map<String, List<Integer>> result = outcomes(holds);

    assertThat(result.keySet()).containsExactlyInAnyOrder("ok", "OutOfStock");
    assertThat(result.get("ok")).hasSize(100);
    assertThat(result.get("OutOfStock")).hasSize(900);
    OutOfStock refused = (OutOfStock) holds.get(result.get("OutOfStock").get(0)).cause();
    assertThat(refused.skus()).containsExactly(sku);
    assertThat(bus.available(sku)).isZero();
    JsonObject held = bus.get(sku);
    assertThat(held.getInteger("on_hand")).isEqualTo(100);
    assertThat(held.getInteger("held")).isEqualTo(100);
    assertThat(held.getInteger("available")).isZero();

    // every granted hold committed twice, concurrently
    List<String> granted = result.get("ok").stream().map(holdIds::get).toList();
    List<Future<JsonObject>> commits = new ArrayList<>();
    granted.forEach(holdId -> {
      commits.add(bus.commit(holdId));
      commits.add(bus.commit(holdId));
    });
    Map<String, List<Integer>> committed = outcomes(commits);
    assertThat(committed.keySet()).containsExactly("ok");
    assertThat(committed.get("ok")).hasSize(200);

    JsonObject after = bus.get(sku);
    assertThat(after.getInteger("on_hand")).isZero();
    assertThat(after.getInteger("held")).isZero();
    assertThat(after.getInteger("available")).isZero();
    assertThat(after.getJsonObject("warehouses").getMap()).containsExactly(Map.entry("WH-DEFAULT", 0));
    assertThat(bus.available(sku)).isZero();
    Map<String, AttributeValue> item = bucketItem(api.store(), sku, "WH-DEFAULT#0");
    assertThat(item.get("on_hand").n()).isEqualTo("0");
    assertThat(item.get("applied").ss()).hasSize(100).containsExactlyInAnyOrderElementsOf(granted);

    // committing again later is still a success and takes nothing
    Engines.await(bus.commit(granted.get(0)));
    assertThat(bus.get(sku).getInteger("on_hand")).isZero();
  }

  @Test
  void twoSkuHoldsRacingOnAScarceSkuAreAllOrNothing() {
    String scarce = InventoryBus.sku("SCARCE");
    String plenty = InventoryBus.sku("PLENTY");
    bus.set(scarce, 30);
    bus.set(plenty, 70);
    List<String> holdIds = new ArrayList<>();
    List<Future<JsonObject>> holds = new ArrayList<>();
    for (int i = 0; i < 180; i++) { // pairs (2 scarce + 1 plenty: at most 15) interleaved with singles (1 plenty)
      String holdId = InventoryBus.holdId();
      holdIds.add(holdId);
      holds.add(i % 3 == 2 ? bus.hold(holdId, line(plenty, 1)) : bus.hold(holdId, line(scarce, 2), line(plenty, 1)));
    }
    Map<String, List<Integer>> result = outcomes(holds);
    assertThat(result.keySet()).isSubsetOf("ok", "OutOfStock");
    List<Integer> grantedPairs = result.get("ok").stream().filter(i -> i % 3 != 2).toList();
    List<Integer> grantedSingles = result.get("ok").stream().filter(i -> i % 3 == 2).toList();
    assertThat(grantedPairs.size()).isLessThanOrEqualTo(15);
    assertThat(grantedPairs.size() + grantedSingles.size()).isLessThanOrEqualTo(70);
    assertThat(grantedPairs.size() == 15 || grantedPairs.size() + grantedSingles.size() == 70)
        .as("one of the SKUs ran out").isTrue();
    for (int refused : result.get("OutOfStock")) {
      List<String> shortSkus = ((OutOfStock) holds.get(refused).cause()).skus().stream().map(String::valueOf).toList();
      assertThat(shortSkus).isNotEmpty().isSubsetOf(refused % 3 == 2 ? List.of(plenty) : List.of(scarce, plenty));
    }

    // commit a third of the granted holds, release another third, keep the rest open
    List<Integer> granted = result.get("ok");
    AtomicInteger committedScarce = new AtomicInteger();
    AtomicInteger committedPlenty = new AtomicInteger();
    AtomicInteger heldScarce = new AtomicInteger();
    AtomicInteger heldPlenty = new AtomicInteger();
    List<Future<JsonObject>> settles = new ArrayList<>();
    for (int n = 0; n < granted.size(); n++) {
      int index = granted.get(n);
      int scarceUnits = index % 3 != 2 ? 2 : 0;
      if (n % 3 == 0) {
        settles.add(bus.commit(holdIds.get(index)));
        committedScarce.addAndGet(scarceUnits);
        committedPlenty.incrementAndGet();
      } else if (n % 3 == 1) {
        settles.add(bus.release(holdIds.get(index)));
      } else {
        heldScarce.addAndGet(scarceUnits);
        heldPlenty.incrementAndGet();
      }
    }
    assertThat(outcomes(settles).keySet()).containsExactly("ok");

    // each SKU: available + held + committed = initial, the released units back, and units moved in whole holds only
    int releasedScarce = 2 * grantedPairs.size() - heldScarce.get() - committedScarce.get();
    int releasedPlenty = grantedPairs.size() + grantedSingles.size() - heldPlenty.get() - committedPlenty.get();
    assertThat(bus.available(scarce)).isEqualTo(30 - 2 * grantedPairs.size() + releasedScarce);
    assertThat(bus.available(plenty)).isEqualTo(70 - grantedPairs.size() - grantedSingles.size() + releasedPlenty);
    JsonObject scarceLevel = bus.get(scarce);
    JsonObject plentyLevel = bus.get(plenty);
    assertThat(scarceLevel.getInteger("held")).isEqualTo(heldScarce.get());
    assertThat(plentyLevel.getInteger("held")).isEqualTo(heldPlenty.get());
    assertThat(scarceLevel.getInteger("on_hand")).isEqualTo(30 - committedScarce.get());
    assertThat(plentyLevel.getInteger("on_hand")).isEqualTo(70 - committedPlenty.get());
    assertThat(bus.available(scarce) + heldScarce.get() + committedScarce.get()).isEqualTo(30);
    assertThat(bus.available(plenty) + heldPlenty.get() + committedPlenty.get()).isEqualTo(70);
  }

  @Test
  void aHotSkuSplitOverShardsCommitsEachPartOnceAndSplitsLinesThatNoShardCovers() {
    WebStore sharded = Engines.shared().startStore(new JsonObject()
        .put("inventory", new JsonObject().put("shards", 4)));
    try {
      InventoryBus shardedBus = new InventoryBus(sharded.vertx());
      String sku = InventoryBus.sku("HOT");
      JsonObject level = shardedBus.set(sku, 202);
      assertThat(level.getInteger("on_hand")).isEqualTo(202);
      for (int shard = 0; shard < 4; shard++) {
        assertThat(bucketItem(sharded, sku, "WH-DEFAULT#" + shard).get("on_hand").n())
            .isIn("50", "51"); // spread evenly
      }

      List<String> holdIds = new ArrayList<>();
      List<Future<JsonObject>> holds = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String holdId = InventoryBus.holdId();
        holdIds.add(holdId);
        holds.add(shardedBus.hold(holdId, line(sku, 1)));
      }
      Map<String, List<Integer>> result = outcomes(holds);
      assertThat(result.keySet()).containsExactly("ok");
      // 2 units left, one on each of two shards (holds take from the fullest shard): a line of 2 is split
      assertThat(shardedBus.available(sku)).isEqualTo(2);
      String split = InventoryBus.holdId();
      Engines.await(shardedBus.hold(split, line(sku, 2)));
      assertThat(shardedBus.available(sku)).isZero();
      List<Future<JsonObject>> late = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        late.add(shardedBus.hold(InventoryBus.holdId(), line(sku, 1)));
      }
      assertThat(outcomes(late).keySet()).containsExactly("OutOfStock");

      List<Future<JsonObject>> commits = new ArrayList<>();
      result.get("ok").forEach(i -> {
        commits.add(shardedBus.commit(holdIds.get(i)));
        commits.add(shardedBus.commit(holdIds.get(i)));
      });
      commits.add(shardedBus.commit(split));
      commits.add(shardedBus.commit(split));
      assertThat(outcomes(commits).keySet()).containsExactly("ok");

      JsonObject after = shardedBus.get(sku);
      assertThat(after.getInteger("on_hand")).isZero();
      assertThat(after.getInteger("held")).isZero();
      int applied = 0;
      int shardsOfSplit = 0;
      for (int shard = 0; shard < 4; shard++) {
        Map<String, AttributeValue> item = bucketItem(sharded, sku, "WH-DEFAULT#" + shard);
        assertThat(item.get("on_hand").n()).isEqualTo("0");
        applied += item.get("applied").ss().size();
        shardsOfSplit += item.get("applied").ss().contains(split) ? 1 : 0;
      }
      assertThat(applied).isEqualTo(200 + 2); // every single-unit hold once, the split one on two shards
      assertThat(shardsOfSplit).isEqualTo(2);
    } finally {
      Engines.await(sharded.stop());
    }
  }

  static Map<String, AttributeValue> bucketItem(WebStore store, String sku, String bucket) {
    return Engines.await(Future.fromCompletionStage(store.services().aws().dynamo().getItem(GetItemRequest.builder()
        .tableName(store.services().config().dynamo().table("inventory"))
        .key(Map.of("pk", AttributeValue.fromS("bucket#" + sku + "#" + bucket)))
        .consistentRead(true)
        .build()))).item();
  }
}
