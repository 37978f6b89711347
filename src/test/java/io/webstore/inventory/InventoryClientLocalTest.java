package io.webstore.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.webstore.platform.error.Validation;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link InventoryClient#availability} where the inventory runs in the process: read without the bus, with the same
 * answers and refusals, and each answer handed back on the caller's context as a reply would be, also when the ledger's
 * gate queues calls and starts them from other event loops.
 */
@WebstoreTest
class InventoryClientLocalTest {

  /** Calls per context: more than the ledger's gate admits at once (the Redis pool size), so some are queued. */
  private static final int CALLS = 300;

  @Shared static Api api;

  @Test
  void answersAsTheBusDoesWithoutIt() {
    Vertx vertx = api.store().vertx();
    InventoryBus bus = new InventoryBus(vertx);
    String sku = InventoryBus.sku("LOCAL");
    bus.set(sku, 7);
    InventoryClient client = new InventoryClient(vertx, Duration.ofSeconds(10));

    assertThat(Engines.await(client.availability(List.of(sku, InventoryBus.sku("NONE")))))
        .containsEntry(sku, 7).hasSize(2).containsValue(0);
    assertThat(Engines.await(client.availability(List.of(sku)))).isEqualTo(Map.of(sku, bus.available(sku)));
    assertThatThrownBy(() -> Engines.await(client.availability(List.of("SKU#1"))))
        .isInstanceOf(Validation.class);
  }

  @Test
  void everyAnswerComesBackOnTheCallersContext() {
    Vertx vertx = api.store().vertx();
    InventoryClient client = new InventoryClient(vertx, Duration.ofSeconds(30));
    String sku = InventoryBus.sku("CTX");
    AtomicInteger elsewhere = new AtomicInteger();
    List<Future<Void>> rounds = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      Context caller = vertx.getOrCreateContext(); // from a test thread: a new event-loop context each time
      Promise<Void> done = Promise.promise();
      rounds.add(done.future());
      caller.runOnContext(start -> {
        List<Future<Map<String, Integer>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          calls.add(client.availability(List.of(sku)).andThen(answered -> {
            if (Vertx.currentContext() != caller) {
              elsewhere.incrementAndGet();
            }
          }));
        }
        Future.all(calls).<Void>mapEmpty().onComplete(done);
      });
    }
    Engines.await(Future.all(rounds), Duration.ofSeconds(60));
    assertThat(elsewhere).as("answers handed back on another context than the caller's").hasValue(0);
  }
}
