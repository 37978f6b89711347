package io.webstore.cart;

import com.github.benmanes.caffeine.cache.Cache;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.catalog.CatalogClient;
import io.webstore.catalog.PriceQuote;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.text.Sku;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Owns the cart addresses of {@link CartClient} (carts, guest sessions and the checkout's claim on a cart): reads and
 * checks each request and hands it to the {@link CartService}, whose answer it replies. Every reply that is a cart is
 * priced now by the catalog.
 */
final class CartVerticle extends VerticleBase {

  private static final int MAX_QUANTITY = 1_000_000;

  private final Services services;
  private final CartSettings settings;
  private final Clock clock;
  private final Cache<String, Cart> kept;
  private CartService carts;

  /** {@code kept}: where the carts read and written are kept ({@link CartService#keptCarts}). */
  CartVerticle(Services services, CartSettings settings, Clock clock, Cache<String, Cart> kept) {
    this.services = services;
    this.settings = settings;
    this.clock = clock;
    this.kept = kept;
  }

  @Override
  public Future<?> start() {
    WebstoreConfig config = services.config();
    carts = new CartService(vertx,
        new DynamoCartStore(vertx, services.aws().dynamo(), config.dynamo().table(DynamoCartStore.TABLE.name()),
            services.meters(), clock),
        new DynamoSessionStore(vertx, services.aws().dynamo(), config.dynamo().table(DynamoSessionStore.TABLE.name()),
            services.meters()),
        new CatalogLink(new CatalogClient(vertx, settings.callTimeout())), new InventoryClient(vertx), settings,
        services.meters(), clock, kept);
    return Future.all(List.of(
        consumer(CartClient.GET, body -> carts.get(owner(body, "owner")).map(CartJson::toJson)),
        consumer(CartClient.CONTENTS, body -> carts.contents(owner(body, "owner")).map(CartJson::contents)),
        consumer(CartClient.ADD, body -> carts.add(owner(body, "owner"), sku(body), quantity(body),
                Optional.ofNullable(body.getString("key")), checkedUnits(body))
            .map(CartJson::toJson)),
        consumer(CartClient.UPDATE, body -> carts.update(owner(body, "owner"), sku(body), quantity(body))
            .map(CartJson::toJson)),
        consumer(CartClient.REMOVE, body -> carts.remove(owner(body, "owner"), sku(body)).map(CartJson::toJson)),
        consumer(CartClient.CLEAR, body -> carts.clear(owner(body, "owner")).map(CartJson::toJson)),
        consumer(CartClient.MERGE, body -> carts.merge(owner(body, "from"), owner(body, "to"))
            .map(merged -> CartJson.toJson(merged.cart()).put("merged_lines", merged.mergedLines()))),
        consumer(CartClient.SESSION, body -> carts.session(Optional.ofNullable(body.getValue("sid"))
                .filter(String.class::isInstance).map(String.class::cast))
            .map(started -> CartJson.session(started.session(), started.created()))),
        consumer(CartClient.CLAIM, body -> carts.claim(owner(body, "owner"), requireText(body, "record_id"),
            requireText(body, "order_id"), body.getLong("version", 0L), units(body)).map(CartVerticle::version)),
        consumer(CartClient.RELEASE, body -> carts.release(owner(body, "owner"), requireText(body, "record_id"))
            .map(CartVerticle::version)),
        consumer(CartClient.REMOVE_ORDERED, body -> carts.removeOrdered(owner(body, "owner"),
            requireText(body, "record_id"), units(body)).map(CartVerticle::version))));
  }

  private Future<Void> consumer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  private static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future.succeededFuture(msg.body() == null ? new JsonObject() : msg.body())
        .compose(handler) // a rule broken while reading the request fails this future, not the consumer
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, err));
  }

  private static JsonObject version(long version) {
    return new JsonObject().put("version", version);
  }

  // ---- input

  private static String owner(JsonObject body, String field) {
    return Owners.require(body.getValue(field), "/" + field);
  }

  private static String sku(JsonObject body) {
    return sku(body.getValue("sku"));
  }

  /** A SKU of a request, as every cart address checks it. */
  static String sku(Object sku) {
    if (!Sku.valid(sku)) {
      throw Validation.of("/sku", "sku must be 1-64 letters, digits, '.', '_' or '-'");
    }
    return (String) sku;
  }

  private static int quantity(JsonObject body) {
    return quantity(body.getValue("quantity"));
  }

  /** A quantity of a request, as every cart address checks it. */
  static int quantity(Object value) {
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
        || ((Number) value).longValue() > MAX_QUANTITY) {
      throw Validation.of("/quantity", "quantity must be a whole number from 1");
    }
    return ((Number) value).intValue();
  }

  /** {@code available}: the units the sender read from the live ledger just before ({@link StockCheck}), if any. */
  private static OptionalInt checkedUnits(JsonObject body) {
    Object value = body.getValue("available");
    if (value == null) {
      return OptionalInt.empty();
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw Validation.of("/available", "available must be a whole number from 0");
    }
    return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, ((Number) value).longValue()));
  }

  private static String requireText(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String text) || text.isBlank()) {
      throw Validation.of("/" + field, field + " is required");
    }
    return text;
  }

  /** {@code lines} of a checkout's request as units per SKU. */
  private static Map<String, Integer> units(JsonObject body) {
    Map<String, Integer> units = new HashMap<>();
    for (Object line : body.getJsonArray("lines", new JsonArray())) {
      JsonObject json = (JsonObject) line;
      units.merge(sku(json), quantity(json), Integer::sum);
    }
    return units;
  }
}
