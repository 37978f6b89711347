package io.webstore.catalog;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** Binds the catalog's operations of {@code openapi.yaml} (input already validated against it) to its addresses. */
final class CatalogRoutes {

  /** Clients and CDNs may keep a product document but must revalidate it (cheap: a 304) before each use. */
  static final CharSequence PRODUCT_CACHE_CONTROL = HttpHeaders.createOptimized("public, no-cache");
  // values of every product response, made once as byte strings the header encoder copies as they are
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final CatalogClient catalog;

  CatalogRoutes(CatalogClient catalog) {
    this.catalog = catalog;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("listCategories").addHandler(this::listCategories);
    builder.getRoute("listProducts").addHandler(this::listProducts);
    builder.getRoute("getProduct").addHandler(this::getProduct);
    builder.getRoute("putProduct").addHandler(this::putProduct);
    builder.getRoute("deleteProduct").addHandler(this::deleteProduct);
    builder.getRoute("putSale").addHandler(this::putSale);
    builder.getRoute("listStores").addHandler(this::listStores);
  }

  private void getProduct(RoutingContext ctx) {
    catalog.get(ctx.pathParam("sku")).onSuccess(document -> {
      var response = ctx.response()
          .putHeader(HttpHeaders.ETAG, document.etag())
          .putHeader(HttpHeaders.CACHE_CONTROL, PRODUCT_CACHE_CONTROL);
      if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), document.etag())) {
        response.setStatusCode(304).end();
      } else {
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(document.body());
      }
    }).onFailure(ctx::fail);
  }

  /** If-None-Match (RFC 9110 §13.1.2): {@code *} or a list of tags, compared weakly. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private void listProducts(RoutingContext ctx) {
    var params = ctx.queryParams();
    catalog.list(params.get("category"), params.get("q"), intParam(params.get("page"), 1),
            intParam(params.get("size"), 20))
        .onSuccess(page -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(page))
        .onFailure(ctx::fail);
  }

  private static int intParam(String value, int defaultValue) {
    return value == null ? defaultValue : Integer.parseInt(value); // the contract has checked it is an integer
  }

  private void listCategories(RoutingContext ctx) {
    catalog.categories().compose(ctx::json).onFailure(ctx::fail);
  }

  private void putProduct(RoutingContext ctx) {
    String sku = ctx.pathParam("sku");
    catalog.put(sku, ctx.body().asJsonObject()).compose(reply -> {
      boolean created = reply.getBoolean("created");
      if (created) {
        ctx.response().setStatusCode(201).putHeader(HttpHeaders.LOCATION, "/api/v1/products/" + sku);
      }
      return ctx.json(reply.getJsonObject("product"));
    }).onFailure(ctx::fail);
  }

  private void deleteProduct(RoutingContext ctx) {
    catalog.delete(ctx.pathParam("sku"))
        .compose(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void putSale(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    catalog.putSale(ctx.pathParam("id"), body).compose(ctx::json).onFailure(ctx::fail);
  }

  private void listStores(RoutingContext ctx) {
    catalog.stores().compose(ctx::json).onFailure(ctx::fail);
  }
}
