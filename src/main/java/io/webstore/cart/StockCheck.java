package io.webstore.cart;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.catalog.CatalogClient;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.error.NotFound;
import java.util.List;

/**
 * The stock check of an add, made by the caller of {@code cart.add} before it sends it: live stock first, and only
 * when it falls short the catalog's quote, which tells an unknown SKU (NotFound) from a sold-out one (OutOfStock). A
 * sold-out add is then answered without reaching the cart verticle (where the inventory and the catalog run in this
 * process, on the caller's event loop with one Redis call), and an add with stock hands the units it read to {@code
 * cart.add}, which judges the cart against them instead of reading the ledger again. The cart verticle still refuses
 * an add of a SKU the catalog does not price.
 *
 * <p>A SKU found sold out (the ledger had fewer units than asked, the catalog prices it) is kept in the store's
 * {@link SoldOutMemory} with the units read, for {@code cart.soldOutMemoryMs}: a repeat add of more than those units is
 * refused with the same answer, without the ledger or the catalog. This check hears the inventory's change events on
 * its own event loop ({@link InventoryClient#CHANGED}) and drops the SKU from the memory; an add that finds the SKU
 * remembered is answered by a task queued on that loop, behind the delivery of any change event published before the
 * add arrived, so a restock or a released hold in this process is seen by the next add. Other instances of the store
 * change the ledger unheard here: an add may be refused for up to {@code cart.soldOutMemoryMs} after stock came back
 * there. An add is never a hold, so the memory refuses at most what could have gone in a cart, and checkout's hold
 * stays the judge of what is sold. The memory is used on the event loop that made this check only (other callers
 * read the ledger each time).
 */
final class StockCheck {

  private final CatalogClient catalog;
  private final InventoryClient inventory;
  private final SoldOutMemory soldOut;
  private final Context context;
  private final Thread loop;

  /**
   * Made on the event loop whose adds it checks (an HTTP verticle's), where it registers that loop's consumer of the
   * inventory's change events; {@code soldOut} null: no memory, every add reads the ledger.
   */
  StockCheck(Vertx vertx, CatalogClient catalog, InventoryClient inventory, SoldOutMemory soldOut) {
    this.catalog = catalog;
    this.inventory = inventory;
    this.soldOut = soldOut;
    this.context = vertx.getOrCreateContext();
    this.loop = Thread.currentThread();
    if (soldOut != null) {
      vertx.eventBus().<JsonObject>localConsumer(InventoryClient.CHANGED, msg -> {
        String sku = msg.body() == null ? null : msg.body().getString("sku");
        if (sku != null) {
          soldOut.changed(sku);
        }
      });
    }
  }

  /**
   * The units available of {@code sku} when there are at least {@code quantity}; else NotFound or OutOfStock (or
   * Validation for a SKU or quantity that {@code cart.add} refuses, with its words).
   */
  Future<Integer> available(String sku, int quantity) {
    try {
      CartVerticle.sku(sku);
      CartVerticle.quantity(quantity);
    } catch (RuntimeException invalid) {
      return Future.failedFuture(invalid);
    }
    if (soldOut == null || Thread.currentThread() != loop) {
      return read(sku, quantity, false);
    }
    Integer remembered = soldOut.shortOf(sku);
    if (remembered == null || remembered >= quantity) {
      return read(sku, quantity, true);
    }
    Promise<Integer> answer = Promise.promise();
    context.runOnContext(queued -> {
      Integer still = soldOut.shortOf(sku); // after this loop's change events that came before the add
      if (still != null && still < quantity) {
        soldOut.answered();
        answer.fail(CartService.outOfStock(sku, still));
      } else {
        read(sku, quantity, true).onComplete(answer);
      }
    });
    return answer.future();
  }

  private Future<Integer> read(String sku, int quantity, boolean remember) {
    long changesBefore = remember ? soldOut.changesOf(sku) : 0;
    return inventory.availability(List.of(sku)).compose(stock -> {
      int available = stock.getOrDefault(sku, 0);
      if (available >= quantity) {
        return Future.succeededFuture(available);
      }
      return catalog.prices(List.of(sku)).compose(quotes -> {
        if (!quotes.containsKey(sku)) {
          return Future.failedFuture(new NotFound("product", sku));
        }
        if (remember) {
          soldOut.remember(sku, available, changesBefore);
        }
        return Future.failedFuture(CartService.outOfStock(sku, available));
      });
    });
  }
}
