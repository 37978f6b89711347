package io.webstore.inventory;

import static io.webstore.inventory.InventoryBus.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import io.webstore.testing.Api;
import io.webstore.testing.ContractViolations;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A hold's life through the event bus: expiry, release, commit, retries, restock, and the change events. */
@WebstoreTest
class InventoryHoldLifecycleTest {

  @Shared static Api api;
  static InventoryBus bus;

  @BeforeAll
  static void start() {
    bus = new InventoryBus(api.store().vertx());
  }

  @Test
  void anExpiredHoldIsReturnedByTheSweeperAndCannotBeCommitted() {
    String sku = InventoryBus.sku("TTL");
    bus.set(sku, 5);
    String holdId = InventoryBus.holdId();
    JsonObject hold = Engines.await(bus.holdFor(holdId, 1, line(sku, 3)));
    Instant expiresAt = Instant.parse(hold.getString("expires_at"));
    assertThat(expiresAt).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(2));
    assertThat(bus.available(sku)).isEqualTo(2);

    bus.until(Duration.ofSeconds(10), () -> bus.available(sku) == 5);
    assertThat(bus.available(sku)).isEqualTo(5);
    JsonObject level = bus.get(sku);
    assertThat(level.getInteger("held")).isZero();
    assertThat(level.getInteger("on_hand")).isEqualTo(5);
    assertThatThrownBy(() -> Engines.await(bus.commit(holdId))).isInstanceOf(Conflict.class)
        .hasMessageContaining("expired");
    assertThat(bus.get(sku).getInteger("on_hand")).isEqualTo(5);
    // a retry of the expired hold gives the first answer and takes nothing
    assertThat(Engines.await(bus.holdFor(holdId, 1, line(sku, 3))).getString("expires_at"))
        .isEqualTo(hold.getString("expires_at"));
    assertThat(bus.available(sku)).isEqualTo(5);
  }

  @Test
  void releaseAfterCommitIsANoOpAndDoubleReleaseReturnsUnitsOnce() {
    String sku = InventoryBus.sku("REL");
    bus.set(sku, 10);
    String committed = InventoryBus.holdId();
    Engines.await(bus.hold(committed, line(sku, 2)));
    Engines.await(bus.commit(committed));
    assertThat(Engines.await(bus.release(committed)).getBoolean("returned")).isFalse();
    JsonObject afterCommit = bus.get(sku);
    assertThat(afterCommit.getInteger("on_hand")).isEqualTo(8);
    assertThat(afterCommit.getInteger("held")).isZero();
    assertThat(bus.available(sku)).isEqualTo(8);

    String released = InventoryBus.holdId();
    Engines.await(bus.hold(released, line(sku, 3)));
    assertThat(bus.available(sku)).isEqualTo(5);
    List<Future<JsonObject>> releases = List.of(bus.release(released), bus.release(released), bus.release(released));
    Engines.await(Future.all(releases));
    assertThat(releases.stream().filter(r -> r.result().getBoolean("returned")).count()).isEqualTo(1);
    assertThat(bus.available(sku)).isEqualTo(8);
    assertThat(bus.get(sku).getInteger("held")).isZero();
    assertThatThrownBy(() -> Engines.await(bus.commit(released))).isInstanceOf(Conflict.class);
    assertThat(bus.get(sku).getInteger("on_hand")).isEqualTo(8);

    // unknown holds: release is a no-op success, commit is not found
    assertThat(Engines.await(bus.release(InventoryBus.holdId())).getBoolean("returned")).isFalse();
    assertThatThrownBy(() -> Engines.await(bus.commit(InventoryBus.holdId()))).isInstanceOf(NotFound.class);
  }

  @Test
  void concurrentRetriesOfOneHoldIdHoldOnceAndAnswerAlike() {
    String sku = InventoryBus.sku("IDEM");
    bus.set(sku, 10);
    String holdId = InventoryBus.holdId();
    List<Future<JsonObject>> retries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      retries.add(bus.hold(holdId, line(sku, 4)));
    }
    Engines.await(Future.all(retries));
    assertThat(retries.stream().map(r -> r.result().getString("expires_at")).distinct()).hasSize(1);
    assertThat(retries.stream().map(r -> r.result().getString("hold_id")).distinct()).containsExactly(holdId);
    assertThat(bus.available(sku)).isEqualTo(6);
    assertThat(bus.get(sku).getInteger("held")).isEqualTo(4);

    assertThatThrownBy(() -> Engines.await(bus.hold(holdId, line(sku, 5)))).isInstanceOf(Conflict.class);
    assertThat(bus.available(sku)).isEqualTo(6);
  }

  @Test
  void changesAreAnnouncedPerSku() {
    String sku = InventoryBus.sku("EVT");
    List<String> seen = new CopyOnWriteArrayList<>();
    var consumer = api.store().vertx().eventBus().<JsonObject>consumer("events.inventory.changed",
        msg -> seen.add(msg.body().getString("sku")));
    Engines.await(consumer.completion());
    try {
      bus.set(sku, 3);
      bus.until(Duration.ofSeconds(5), () -> seen.contains(sku));
      assertThat(seen).contains(sku);
      seen.clear();
      String holdId = InventoryBus.holdId();
      Engines.await(bus.hold(holdId, line(sku, 1)));
      bus.until(Duration.ofSeconds(5), () -> seen.contains(sku));
      assertThat(seen).contains(sku);
      seen.clear();
      Engines.await(bus.release(holdId));
      bus.until(Duration.ofSeconds(5), () -> seen.contains(sku));
      assertThat(seen).contains(sku);
    } finally {
      Engines.await(consumer.unregister());
    }
  }

  @Test
  void restockIsAppliedOncePerOperation() {
    String sku = InventoryBus.sku("RESTOCK");
    bus.set(sku, 2);
    String operationId = "cancel-" + java.util.UUID.randomUUID();
    JsonObject restock = new JsonObject().put("sku", sku).put("quantity", 3).put("reason", "order cancelled")
        .put("operation_id", operationId);
    List<Future<JsonObject>> attempts = List.of(bus.send("inventory.restock", restock),
        bus.send("inventory.restock", restock), bus.send("inventory.restock", restock));
    Engines.await(Future.all(attempts));
    assertThat(attempts.stream().filter(a -> a.result().getBoolean("applied")).count()).isEqualTo(1);
    assertThat(bus.get(sku).getInteger("on_hand")).isEqualTo(5);
    assertThat(bus.available(sku)).isEqualTo(5);

    assertThatThrownBy(() -> bus.call("inventory.restock", restockWithout(restock, "operation_id")))
        .isInstanceOf(Validation.class);
    assertThat(ContractViolations.take("bus inventory.restock request breaks its declaration"))
        .as("the malformed restock breaks its declaration (src/main/resources/bus/inventory.restock.json)")
        .hasSize(1);
    assertThat(bus.get(sku).getInteger("on_hand")).isEqualTo(5);
  }

  @Test
  void invalidRequestsAreRejectedAndUnknownSkusHaveNoneAvailable() {
    String sku = InventoryBus.sku("VAL");
    bus.set(sku, 4);
    assertThatThrownBy(() -> Engines.await(bus.hold(InventoryBus.holdId(), line(sku, 0))))
        .isInstanceOf(Validation.class);
    assertThatThrownBy(() -> Engines.await(bus.hold(InventoryBus.holdId())))
        .isInstanceOf(Validation.class);
    assertThatThrownBy(() -> Engines.await(bus.send("inventory.hold",
        new JsonObject().put("lines", new JsonArray().add(line(sku, 1)))))).isInstanceOf(Validation.class);
    assertThat(ContractViolations.take("bus inventory.hold request breaks its declaration"))
        .as("the hold without a hold_id breaks its declaration (src/main/resources/bus/inventory.hold.json)")
        .hasSize(1);
    assertThat(bus.available(sku)).isEqualTo(4);
    String unknown = InventoryBus.sku("NEVER");
    JsonObject available = bus.call("inventory.availability",
        new JsonObject().put("skus", new JsonArray().add(sku).add(unknown))).getJsonObject("available");
    assertThat(available.getMap()).containsOnlyKeys(Set.of(sku, unknown));
    assertThat(available.getInteger(unknown)).isZero();
    assertThatThrownBy(() -> Engines.await(bus.hold(InventoryBus.holdId(), line(unknown, 1))))
        .isInstanceOf(io.webstore.platform.error.OutOfStock.class);
  }

  private static JsonObject restockWithout(JsonObject restock, String field) {
    JsonObject copy = restock.copy();
    copy.remove(field);
    return copy;
  }
}
