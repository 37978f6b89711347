package io.webstore.catalog;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.AmountJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The typed client of the catalog's addresses, for the HTTP layer and other features (cart, checkout). Failures come
 * back as domain exceptions ({@code NotFound}, {@code Validation}, {@code Unavailable}, ...).
 */
public final class CatalogClient {

  /** {@code {"sku"}} → the product document (serialized), its entity tag in the {@link #ETAG_HEADER} header. */
  public static final String GET = "catalog.get";
  /** {@code {"page", "size", "category"?, "q"?}} → one page of the listing (serialized). */
  public static final String LIST = "catalog.list";
  /** {@code {}} → {@code {"items": [{"id", "name", "product_count"}]}}. */
  public static final String CATEGORIES = "catalog.categories";
  /** {@code {"skus": [...]}} → {@code {"items": {"SKU": {"name", "unit_price", "list_price", "sale"}}}}. */
  public static final String PRICE = "catalog.price";
  /** {@code {"sku", "product"}} → {@code {"created", "product"}}. */
  public static final String PUT = "catalog.put";
  /** pim.products feed records, answered per record (see {@code platform.feeds.FeedOutcome}). */
  public static final String FEED = "catalog.feed";
  /** {@code {"sku"}} → {@code {"sku", "deleted"}}. */
  public static final String DELETE = "catalog.delete";
  /** {@code {}} → {@code {"items": [store, ...]}}. */
  public static final String STORES = "catalog.stores";
  /** {@code {"id", "sale"}} → the sale as stored. */
  public static final String PUT_SALE = "sales.put";
  /** Reply header of {@link #GET} carrying the document's entity tag. */
  public static final String ETAG_HEADER = "etag";
  /** Published (local bus) after a change here: {@code {"kind": "product"|"sale", "sku", "id"?}}. */
  public static final String CHANGED = "events.catalog.changed";

  private final Vertx vertx;
  private final DeliveryOptions options;
  private final SameLoopProducts sameLoop;
  /** Racy on purpose: every thread that sees null looks it up again; a ProductCatalog's fields are final. */
  private ProductCatalog local;

  public CatalogClient(Vertx vertx) {
    this(vertx, Duration.ofSeconds(5));
  }

  public CatalogClient(Vertx vertx, Duration timeout) {
    this(vertx, timeout, null);
  }

  /** A client whose {@link #get} from {@code sameLoop}'s context reads there, without the bus (null: always the bus). */
  CatalogClient(Vertx vertx, Duration timeout, SameLoopProducts sameLoop) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    this.sameLoop = sameLoop;
  }

  /**
   * {@code catalog.get}: the product document (serialized) and its entity tag; NotFound when there is none. The
   * catalog's own HTTP routes read on their event loop from the process's catalog (same answers, same errors).
   */
  public Future<ProductDocument> get(String sku) {
    if (sameLoop != null && sameLoop.servesCurrentThread()) {
      return sameLoop.document(sku);
    }
    return vertx.eventBus().<Buffer>request(GET, new JsonObject().put("sku", sku), options)
        .recover(Replies::recover)
        .map(reply -> new ProductDocument(reply.body(), reply.headers().get(ETAG_HEADER)));
  }

  /**
   * {@code catalog.list}: one page, {@code {"items": [...], "page", "size", "total", "total_pages"}} serialized;
   * category and query may be null.
   */
  public Future<Buffer> list(String category, String query, int page, int size) {
    JsonObject request = new JsonObject().put("page", page).put("size", size);
    if (category != null) {
      request.put("category", category);
    }
    if (query != null) {
      request.put("q", query);
    }
    return vertx.eventBus().<Buffer>request(LIST, request, options)
        .recover(Replies::recover)
        .map(reply -> reply.body());
  }

  /** {@code catalog.categories}: {@code {"items": [{"id", "name", "product_count"}]}}. */
  public Future<JsonObject> categories() {
    return request(CATEGORIES, new JsonObject());
  }

  /** {@code catalog.put}: creates or replaces; {@code {"created": bool, "product": {...}}}. */
  public Future<JsonObject> put(String sku, JsonObject product) {
    return request(PUT, new JsonObject().put("sku", sku).put("product", product));
  }

  /** {@code catalog.delete}; NotFound when there is no such product. */
  public Future<Void> delete(String sku) {
    return request(DELETE, new JsonObject().put("sku", sku)).mapEmpty();
  }

  /** {@code sales.put}: creates or replaces the flash sale {@code id}; the sale as stored. */
  public Future<JsonObject> putSale(String id, JsonObject sale) {
    return request(PUT_SALE, new JsonObject().put("id", id).put("sale", sale));
  }

  /** {@code catalog.stores}: {@code {"items": [store, ...]}}. */
  public Future<JsonObject> stores() {
    return request(STORES, new JsonObject());
  }

  /** {@code catalog.price} as sent on the bus: {@code {"items": {"SKU": {...}}}}, unknown SKUs absent. */
  public Future<JsonObject> priceJson(Collection<String> skus) {
    return request(PRICE, new JsonObject().put("skus", new JsonArray(List.copyOf(skus))));
  }

  /**
   * {@code catalog.price}, typed: a quote per existing SKU, in the order asked. Where the catalog feature runs in this
   * process ({@link ProductCatalog#IN_PROCESS}), quoted on the caller's event loop from the process's catalog, without the bus
   * (same answers, same refusals, the same time limit when a quote needs the engines).
   */
  public Future<Map<String, PriceQuote>> prices(Collection<String> skus) {
    ProductCatalog local = localCatalog();
    if (local != null) {
      if (skus.size() > CatalogRequests.MAX_PRICE_SKUS) {
        return Future.failedFuture(Validation.of("/skus",
            "skus must be an array of at most " + CatalogRequests.MAX_PRICE_SKUS + " SKUs"));
      }
      Context caller = vertx.getOrCreateContext();
      Future<Map<String, PriceQuote>> quoted = local.quotes(List.copyOf(skus));
      // the usual case: every product in the process's cache. Else resumed on the caller's context, as a reply
      // would be, whichever thread completes the load
      return quoted.isComplete()
          ? quoted
          : Future.fromCompletionStage(quoted.toCompletionStage(), caller)
              .timeout(options.getSendTimeout(), TimeUnit.MILLISECONDS)
              .recover(err -> Future.failedFuture(err instanceof TimeoutException
                  ? new Unavailable("the catalog did not answer in time; retry shortly")
                  : err));
    }
    return priceJson(skus).map(reply -> {
      JsonObject items = reply.getJsonObject("items");
      Map<String, PriceQuote> quotes = new LinkedHashMap<>();
      for (String sku : skus) {
        JsonObject item = items.getJsonObject(sku);
        if (item == null || quotes.containsKey(sku)) {
          continue;
        }
        JsonObject sale = item.getJsonObject("sale");
        quotes.put(sku, new PriceQuote(sku, item.getString("name"),
            AmountJson.fromJson(item.getJsonObject("unit_price")),
            AmountJson.fromJson(item.getJsonObject("list_price")),
            sale == null ? Optional.empty() : Optional.of(new PriceQuote.SaleTerms(sale.getString("id"),
                sale.getInteger("per_customer_limit"), Instant.parse(sale.getString("ends_at"))))));
      }
      return quotes;
    });
  }

  /** The process's catalog once the catalog feature registered it (looked up until then), else null. */
  private ProductCatalog localCatalog() {
    ProductCatalog found = local;
    if (found == null) {
      found = ProductCatalog.IN_PROCESS.of(vertx);
      local = found;
    }
    return found;
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .recover(Replies::recover)
        .map(reply -> reply.body());
  }
}
