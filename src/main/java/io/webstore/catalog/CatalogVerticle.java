package io.webstore.catalog;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.feeds.FeedOutcome;
import java.util.List;

/**
 * Owns the catalog's request/reply addresses (named on {@link CatalogClient}). Several instances share one {@link
 * ProductCatalog}, which holds no state (the process's caches and snapshots are behind it); each instance only decodes
 * requests and encodes replies.
 */
final class CatalogVerticle extends VerticleBase {

  private static final int MAX_FEED_RECORDS = 1000;

  private final ProductCatalog catalog;
  private final CatalogFeed feed;

  CatalogVerticle(ProductCatalog catalog, CatalogFeed feed) {
    this.catalog = catalog;
    this.feed = feed;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(CatalogClient.GET, this::get).completion(),
        bus.<JsonObject>consumer(CatalogClient.LIST, this::list).completion(),
        bus.<JsonObject>consumer(CatalogClient.CATEGORIES, msg -> msg.reply(catalog.categories())).completion(),
        bus.<JsonObject>consumer(CatalogClient.PRICE, this::price).completion(),
        bus.<JsonObject>consumer(CatalogClient.PUT, this::put).completion(),
        bus.<JsonObject>consumer(CatalogClient.DELETE, this::delete).completion(),
        bus.<JsonObject>consumer(CatalogClient.FEED, this::feed).completion(),
        bus.<JsonObject>consumer(CatalogClient.STORES, this::stores).completion(),
        bus.<JsonObject>consumer(CatalogClient.PUT_SALE, this::putSale).completion(),
        // every instance evicts on its own event loop: a product request that reaches an instance after the change
        // event was published is queued behind that eviction, so it never answers the availability from before
        bus.<JsonObject>consumer(InventoryClient.CHANGED, msg -> {
          String sku = msg.body() == null ? null : msg.body().getString("sku");
          if (sku != null) {
            catalog.availabilityChanged(sku);
          }
        }).completion()));
  }

  private void get(Message<JsonObject> msg) {
    try {
      catalog.document(CatalogRequests.sku(msg.body()))
          .onSuccess(document -> msg.reply(document.body(),
              new DeliveryOptions().addHeader(CatalogClient.ETAG_HEADER, document.etag())))
          .onFailure(err -> Replies.fail(msg, err));
    } catch (RuntimeException err) {
      fail(msg, err);
    }
  }

  private void list(Message<JsonObject> msg) {
    try {
      JsonObject query = msg.body();
      int page = integer(query, "page", 1);
      int size = integer(query, "size", 20);
      if (page < 1) {
        throw Validation.of("/page", "page starts at 1");
      }
      if (size < 1 || size > CatalogRequests.MAX_PAGE_SIZE) {
        throw Validation.of("/size", "size must be from 1 to " + CatalogRequests.MAX_PAGE_SIZE);
      }
      catalog.page(query.getString("category"), query.getString("q"), page, size)
          .onSuccess(msg::reply)
          .onFailure(err -> Replies.fail(msg, err));
    } catch (RuntimeException err) {
      fail(msg, err);
    }
  }

  private static int integer(JsonObject query, String field, int defaultValue) {
    Object value = query.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw Validation.of("/" + field, field + " must be an integer");
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ((Number) value).longValue()));
  }

  /** A field of the wrong JSON type surfaces as ClassCastException from the JsonObject getters: a bad request. */
  private static void fail(Message<JsonObject> msg, RuntimeException err) {
    Replies.fail(msg, err instanceof ClassCastException
        ? Validation.of("", "a field of the request has the wrong type")
        : err);
  }

  private void price(Message<JsonObject> msg) {
    JsonArray skus = msg.body().getJsonArray("skus");
    if (skus == null || skus.size() > CatalogRequests.MAX_PRICE_SKUS || !skus.stream().allMatch(String.class::isInstance)) {
      Replies.fail(msg, Validation.of("/skus", "skus must be an array of at most " + CatalogRequests.MAX_PRICE_SKUS + " SKUs"));
      return;
    }
    catalog.prices(skus.stream().map(String.class::cast).toList())
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, err));
  }

  private void put(Message<JsonObject> msg) {
    try {
      String sku = CatalogRequests.sku(msg.body());
      JsonObject body = msg.body().getJsonObject("product", new JsonObject());
      Product product = CatalogRequests.product(sku, body, catalog.now());
      catalog.put(product)
          .onSuccess(created -> msg.reply(new JsonObject()
              .put("created", created)
              .put("product", CatalogJson.adminView(product))))
          .onFailure(err -> Replies.fail(msg, err));
    } catch (RuntimeException err) {
      fail(msg, err);
    }
  }

  private void delete(Message<JsonObject> msg) {
    try {
      String sku = CatalogRequests.sku(msg.body());
      catalog.delete(sku)
          .onSuccess(done -> msg.reply(new JsonObject().put("sku", sku).put("deleted", true)))
          .onFailure(err -> Replies.fail(msg, err));
    } catch (RuntimeException err) {
      fail(msg, err);
    }
  }

  private void feed(Message<JsonObject> msg) {
    try {
      feed.apply(CatalogFeed.batch(msg.body(), MAX_FEED_RECORDS))
          .onSuccess(outcomes -> msg.reply(FeedOutcome.reply(outcomes)))
          .onFailure(err -> Replies.fail(msg, err));
    } catch (RuntimeException err) {
      fail(msg, err);
    }
  }

  private void putSale(Message<JsonObject> msg) {
    try {
      String id = CatalogRequests.key(msg.body(), "id");
      Sale sale = CatalogRequests.sale(id, msg.body().getJsonObject("sale", new JsonObject()));
      catalog.putSale(sale)
          .onSuccess(saved -> msg.reply(CatalogJson.saleView(saved, catalog.now())))
          .onFailure(err -> Replies.fail(msg, err));
    } catch (RuntimeException err) {
      fail(msg, err);
    }
  }

  private void stores(Message<JsonObject> msg) {
    catalog.stores().onSuccess(msg::reply).onFailure(err -> Replies.fail(msg, err));
  }
}
