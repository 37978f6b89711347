package io.webstore.catalog;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.error.Validation;
import io.webstore.platform.text.Sku;

/**
 * Product documents read on the event loop of the verticle that made this (an HTTP verticle), from the process's
 * {@link ProductCatalog}, instead of through a request to a catalog verticle on another loop: on a hot product read
 * that request and its reply were most of the work outside Netty's own (a reply handler and a timeout timer per
 * request, the document copied by the bus's codec, a wake-up of another event loop each way).
 *
 * <p>Reads keep the ordering the catalog verticles give: this loop evicts a changed SKU's cached availability itself
 * (a consumer of {@link InventoryClient#CHANGED} on its own context, as every catalog verticle has), and every read
 * runs as a task queued on this loop, so a read that starts after a change event was published runs after the
 * eviction that the event queued here, never answering the availability from before.
 */
final class SameLoopProducts {

  private final ProductCatalog catalog;
  private final Context context;
  private final Thread loop;

  /** Made on the context whose reads it serves: registers that context's eviction of changed availability. */
  SameLoopProducts(Vertx vertx, ProductCatalog catalog) {
    this.catalog = catalog;
    this.context = vertx.getOrCreateContext();
    this.loop = Thread.currentThread();
    vertx.eventBus().<JsonObject>consumer(InventoryClient.CHANGED, msg -> {
      String sku = msg.body() == null ? null : msg.body().getString("sku");
      if (sku != null) {
        catalog.availabilityChanged(sku);
      }
    });
  }

  /**
   * Whether a read from the current thread can be served here: it runs on this reader's event loop (an HTTP request
   * is handled on a duplicate of its verticle's context, on the same loop).
   */
  boolean servesCurrentThread() {
    return Thread.currentThread() == loop && context.isEventLoopContext();
  }

  /** {@code catalog.get} without the hop: the document and its entity tag; NotFound when there is none. */
  Future<ProductDocument> document(String sku) {
    if (!Sku.valid(sku)) {
      return Future.failedFuture(Validation.of("/sku", "sku must be " + Sku.RULE));
    }
    Promise<ProductDocument> read = Promise.promise();
    context.runOnContext(queued -> {
      try {
        catalog.document(sku).onComplete(read);
      } catch (RuntimeException err) { // as the catalog verticle answers it: a failed read, never a hanging one
        read.fail(err);
      }
    });
    return read.future();
  }
}
