package io.webstore.catalog;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import io.webstore.platform.money.AmountJson;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import io.webstore.platform.bootstrap.InProcess;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog's rules over its parts, as the catalog verticle's addresses need them: product documents (with
 * availability and the running sale), listing pages, prices, and admin writes. Reads go through the cache tiers
 * ({@link ProductReads}); listing and sales come from the snapshots that the {@link CatalogReloader} keeps; writes
 * are stored, then handed to the reloader to be applied here and announced. Holds no state of its own.
 */
final class ProductCatalog {

  /**
   * The process's catalog, registered once the catalog feature has loaded it, so that {@link CatalogClient#prices}
   * quotes on the caller's event loop: the catalog holds no state of its own (its caches and snapshots are built for
   * concurrent use), so the answer is the one {@code catalog.price} gives.
   */
  static final InProcess<ProductCatalog> IN_PROCESS = new InProcess<>("catalog");

  private final ProductStore store;
  private final SaleStore sales;
  private final ProductReads reads;
  private final CatalogReloader reloader;
  private final Clock clock;

  ProductCatalog(ProductStore store, SaleStore sales, ProductReads reads, CatalogReloader reloader, Clock clock) {
    this.store = store;
    this.sales = sales;
    this.reads = reads;
    this.reloader = reloader;
    this.clock = clock;
  }
  /** Forgets the cached availability of {@code sku}: inventory said it changed. */
  void availabilityChanged(String sku) {
    reads.availabilityChanged(sku);
  }


  // ---- reads

  /** A product's document with availability and running sale; fails with NotFound. */
  Future<ProductDocument> document(String sku) {
    Future<ProductEntry> entry = reads.entry(sku);
    Future<Integer> units = reads.availability(sku); // in parallel with the product: both are usually cached
    return Future.join(entry, units).transform(both -> {
      if (entry.succeeded() && !entry.result().exists()) {
        return Future.failedFuture(new NotFound("product", sku)); // whatever inventory said
      }
      if (both.failed()) {
        return Future.failedFuture(entry.failed() ? entry.cause() : units.cause());
      }
      return Future.succeededFuture(document(entry.result(), units.result(), clock.instant()));
    });
  }

  /**
   * The document of a product read on its own: the one last rendered from the same entry when availability and the
   * running sale are what it was rendered with (the document and its entity tag depend on nothing else), so a hot
   * product's reads share one body and one tag instead of copying the document for every request.
   */
  private ProductDocument document(ProductEntry entry, int units, Instant now) {
    SaleEntry sale = reloader.sales().runningSale(entry.product(), now);
    ProductEntry.Rendered last = entry.rendered();
    if (last != null && last.units() == units && last.sale() == sale) {
      return last.document();
    }
    ProductDocument document = render(entry, units, sale);
    entry.rendered(new ProductEntry.Rendered(units, sale, document));
    return document;
  }

  /** One page of the listing, filtered by category and search text, as the page document. */
  Future<Buffer> page(String category, String query, int page, int size) {
    Listing view = reloader.listing();
    List<ProductEntry> pool = category == null ? view.sorted() : view.byCategory().getOrDefault(category, List.of());
    List<ProductEntry> matches = pool;
    if (query != null && !query.isBlank()) {
      String needle = query.trim().toLowerCase(Locale.ROOT);
      matches = pool.stream().filter(entry -> entry.searchText().contains(needle)).toList();
    }
    int total = matches.size();
    int from = (int) Math.min(total, (long) (page - 1) * size);
    List<ProductEntry> slice = matches.subList(from, Math.min(total, from + size));
    int totalPages = (total + size - 1) / size;
    return reads.availability(slice.stream().map(entry -> entry.product().sku()).toList()).map(units -> {
      Instant now = clock.instant();
      Buffer out = Buffer.buffer(512 * slice.size() + 96).appendString("{\"items\":[");
      for (int i = 0; i < slice.size(); i++) {
        ProductEntry entry = slice.get(i);
        if (i > 0) {
          out.appendString(",");
        }
        out.appendBuffer(render(entry, units.getOrDefault(entry.product().sku(), 0),
            reloader.sales().runningSale(entry.product(), now)).body());
      }
      return out.appendString("],\"page\":" + page + ",\"size\":" + size + ",\"total\":" + total
          + ",\"total_pages\":" + totalPages + "}");
    });
  }

  /** Categories with their product counts. */
  JsonObject categories() {
    return reloader.listing().categories();
  }

  /**
   * What the cart and checkout charge: per existing SKU its name, unit price (the running sale's price, or the list
   * price), list price and the running sale's terms (or null). Unknown SKUs are left out.
   */
  Future<JsonObject> prices(List<String> skus) {
    return quotes(skus).map(quotes -> {
      JsonObject items = new JsonObject();
      quotes.values().forEach(quote -> items.put(quote.sku(), new JsonObject()
          .put("name", quote.name())
          .put("unit_price", AmountJson.toJson(quote.unitPrice()))
          .put("list_price", AmountJson.toJson(quote.listPrice()))
          .put("sale", quote.sale().map(sale -> new JsonObject()
              .put("id", sale.id())
              .put("per_customer_limit", sale.perCustomerLimit())
              .put("ends_at", sale.endsAt().toString())).orElse(null))));
      return new JsonObject().put("items", items);
    });
  }

  /**
   * {@link #prices} as the records its callers read: a quote per existing SKU, in the order asked; unknown SKUs and
   * strings that cannot be a SKU are absent. Answered from the process's cache tiers on the caller's context.
   */
  Future<Map<String, PriceQuote>> quotes(List<String> skus) {
    if (skus.size() == 1) { // a cart's add and most reads: no list of futures
      String sku = skus.get(0);
      if (!CatalogRequests.KEY.matcher(sku).matches()) {
        return Future.succeededFuture(Map.of());
      }
      return reads.entry(sku).map(entry -> {
        Map<String, PriceQuote> quotes = new LinkedHashMap<>(2);
        if (entry.exists()) {
          quotes.put(sku, quote(entry.product(), clock.instant()));
        }
        return quotes;
      });
    }
    // a string that cannot be a SKU names no product: absent, like any unknown SKU
    List<String> distinct = skus.stream().filter(sku -> CatalogRequests.KEY.matcher(sku).matches()).distinct()
        .toList();
    List<Future<ProductEntry>> entries = distinct.stream().map(reads::entry).toList();
    return Future.all(entries).map(all -> {
      Instant now = clock.instant();
      Map<String, PriceQuote> quotes = new LinkedHashMap<>();
      for (Future<ProductEntry> future : entries) {
        ProductEntry entry = future.result();
        if (entry.exists()) {
          quotes.put(entry.product().sku(), quote(entry.product(), now));
        }
      }
      return quotes;
    });
  }

  private PriceQuote quote(Product product, Instant now) {
    SaleEntry running = reloader.sales().runningSale(product, now);
    if (running == null) {
      return new PriceQuote(product.sku(), product.name(), product.price(), product.price(), Optional.empty());
    }
    Sale sale = running.sale();
    return new PriceQuote(product.sku(), product.name(), sale.price(), product.price(),
        Optional.of(new PriceQuote.SaleTerms(sale.id(), sale.perCustomerLimit(), sale.endsAt())));
  }

  /** The physical stores, {@code {"items": [...]}}. */
  Future<JsonObject> stores() {
    return reads.stores();
  }

  private static ProductDocument render(ProductEntry entry, int units, SaleEntry sale) {
    Buffer body = Buffer.buffer(entry.openDocument().length() + (sale == null ? 40 : sale.member().length() + 40))
        .appendBuffer(entry.openDocument())
        .appendString(",\"available\":")
        .appendString(Integer.toString(units))
        .appendString(",\"sale\":");
    if (sale == null) {
      body.appendString("null");
    } else {
      body.appendBuffer(sale.member());
    }
    body.appendString("}");
    String etag = "\"" + entry.product().revision() + "-" + units + "-"
        + (sale == null ? "0" : sale.sale().revision()) + "\"";
    return new ProductDocument(body, etag);
  }

  // ---- writes

  /** Creates or replaces a product; completes with true when it was created. */
  Future<Boolean> put(Product product) {
    return store.put(product)
        .compose(created -> reloader.productWritten(product.sku(), ProductEntry.of(product)).map(created));
  }

  /** Deletes a product; fails with NotFound when there is none. */
  Future<Void> delete(String sku) {
    return store.delete(sku).compose(done -> reloader.productWritten(sku, ProductEntry.MISSING));
  }

  /**
   * Creates or replaces a sale, after checking it against the product as it is now: the product exists, the sale is
   * in its currency and cheaper than its list price, starts before it ends, and has not ended.
   */
  Future<Sale> putSale(Sale sale) {
    return reads.entry(sale.sku()).compose(entry -> {
      if (!entry.exists()) {
        throw Validation.of("/sku", "no product has SKU " + sale.sku());
      }
      Amount list = entry.product().price();
      if (!sale.price().currency().equals(list.currency())) {
        throw Validation.of("/price/currency", "the sale must be in the product's currency " + list.currency());
      }
      if (sale.price().compareTo(list) >= 0) {
        throw Validation.of("/price/amount", "the sale price must be lower than the list price " + list.text());
      }
      if (!sale.startsAt().isBefore(sale.endsAt())) {
        throw Validation.of("/ends_at", "ends_at must be after starts_at");
      }
      if (!sale.endsAfter(clock.instant())) {
        throw Validation.of("/ends_at", "ends_at must be in the future");
      }
      return sales.put(sale);
    }).compose(done -> reloader.saleWritten(sale)).map(sale);
  }

  Instant now() {
    return clock.instant();
  }
}
