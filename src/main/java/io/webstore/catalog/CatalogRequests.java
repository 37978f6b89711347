package io.webstore.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import io.webstore.platform.text.PlainText;
import io.webstore.platform.text.Sku;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns request bodies of the catalog's addresses into domain values, checking the same rules as the contract
 * (callers on the event bus skip the HTTP validation); every broken rule is reported, as a JSON pointer.
 */
final class CatalogRequests {

  static final Pattern KEY = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  static final Pattern CATEGORY = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
  static final int MAX_PAGE_SIZE = 100;
  /** SKUs one {@code catalog.price} request may ask for. */
  static final int MAX_PRICE_SKUS = 200;
  private static final int MAX_NAME = 200;
  private static final int MAX_DESCRIPTION = 5000;
  private static final int MAX_ATTRIBUTES = 50;
  private static final int MAX_IMAGES = 20;

  private CatalogRequests() {}

  /** A SKU ({@link Sku}). */
  static String sku(JsonObject body) {
    Object value = body.getValue("sku");
    if (!Sku.valid(value)) {
      throw Validation.of("/sku", "sku must be " + Sku.RULE);
    }
    return (String) value;
  }

  /** An id (of a sale, for instance): the same alphabet as a SKU. */
  static String key(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || !KEY.matcher(text).matches()) {
      throw Validation.of("/" + field, field + " must be 1-64 letters, digits, '.', '_' or '-'");
    }
    return text;
  }

  /** A product to write under {@code sku}, with a fresh revision. */
  static Product product(String sku, JsonObject body, Instant now) {
    Errors errors = new Errors();
    String name = text(body, "name", MAX_NAME, errors);
    String description = text(body, "description", MAX_DESCRIPTION, errors);
    Amount price = money(body.getValue("price"), "/price", errors);
    Object category = body.getValue("category");
    if (!(category instanceof String slug) || !CATEGORY.matcher(slug).matches()) {
      errors.add("/category", "category must be a lower-case slug such as home-kitchen");
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    Object rawAttributes = body.getValue("attributes");
    if (rawAttributes instanceof JsonObject given) {
      if (given.size() > MAX_ATTRIBUTES) {
        errors.add("/attributes", "at most " + MAX_ATTRIBUTES + " attributes");
      }
      given.forEach(entry -> {
        Object value = entry.getValue();
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
          attributes.put(entry.getKey(), value);
        } else {
          errors.add("/attributes/" + entry.getKey(), "an attribute is a string, a number or a boolean");
        }
      });
    } else if (rawAttributes != null) {
      errors.add("/attributes", "attributes must be an object");
    }
    List<String> images = new ArrayList<>();
    Object rawImages = body.getValue("images");
    if (rawImages instanceof JsonArray given) {
      if (given.size() > MAX_IMAGES) {
        errors.add("/images", "at most " + MAX_IMAGES + " images");
      }
      for (int i = 0; i < given.size(); i++) {
        Object image = given.getValue(i);
        if (image instanceof String url && (url.startsWith("https://") || url.startsWith("http://"))
            && url.length() <= 2048) {
          images.add(url);
        } else {
          errors.add("/images/" + i, "an image is an http(s) URL");
        }
      }
    } else if (rawImages != null) {
      errors.add("/images", "images must be an array of URLs");
    }
    for (String field : body.fieldNames()) {
      if (!List.of("name", "description", "price", "category", "attributes", "images").contains(field)) {
        errors.add("/" + field, "unknown field " + field);
      }
    }
    errors.throwIfAny();
    return new Product(sku, name, description, price, (String) category, attributes, images, revision(), now);
  }

  /** A sale to write under {@code id}, with a fresh revision (rules that need the product are checked later). */
  static Sale sale(String id, JsonObject body) {
    Errors errors = new Errors();
    Object sku = body.getValue("sku");
    if (!Sku.valid(sku)) {
      errors.add("/sku", "sku must be " + Sku.RULE);
    }
    Amount price = money(body.getValue("price"), "/price", errors);
    Instant startsAt = instant(body, "starts_at", errors);
    Instant endsAt = instant(body, "ends_at", errors);
    Object limit = body.getValue("per_customer_limit");
    if (!(limit instanceof Integer || limit instanceof Long) || ((Number) limit).longValue() < 1
        || ((Number) limit).longValue() > 100) {
      errors.add("/per_customer_limit", "per_customer_limit must be an integer from 1 to 100");
    }
    errors.throwIfAny();
    if (!startsAt.isBefore(endsAt)) {
      throw Validation.of("/ends_at", "ends_at must be after starts_at");
    }
    return new Sale(id, (String) sku, price, startsAt, endsAt, ((Number) limit).intValue(), revision());
  }

  private static String revision() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String text(JsonObject body, String field, int max, Errors errors) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || (field.equals("name") && text.isBlank()) || text.length() > max) {
      errors.add("/" + field, field + " must be a string of at most " + max + " characters"
          + (field.equals("name") ? ", not blank" : ""));
      return "";
    }
    if (field.equals("name") && !PlainText.isClean(text)) { // a description may hold line breaks; a name may not
      errors.add("/name", PlainText.problem("/name", text, PlainText.firstRefused(text)));
      return "";
    }
    return text;
  }

  private static Amount money(Object value, String pointer, Errors errors) {
    if (!(value instanceof JsonObject json)) {
      errors.add(pointer, "a price is {\"amount\": \"19.99\", \"currency\": \"USD\"}");
      return null;
    }
    Object amount = json.getValue("amount");
    Object currency = json.getValue("currency");
    boolean ok = true;
    if (!(amount instanceof String text) || !Amount.validPrice(text)) {
      errors.add(pointer + "/amount", "amount must be a decimal string such as \"19.99\"");
      ok = false;
    }
    if (!(currency instanceof String code) || !code.matches("^[A-Z]{3}$")) {
      errors.add(pointer + "/currency", "currency must be an ISO 4217 code such as USD");
      ok = false;
    }
    return ok ? Amount.price((String) amount, (String) currency) : null;
  }

  private static Instant instant(JsonObject body, String field, Errors errors) {
    Object value = body.getValue(field);
    if (value instanceof String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    errors.add("/" + field, field + " must be a date-time such as 2030-01-01T10:00:00Z");
    return null;
  }

  /** The broken rules of one request. */
  private static final class Errors {
    private final JsonArray list = new JsonArray();

    void add(String pointer, String detail) {
      list.add(new JsonObject().put("pointer", pointer).put("detail", detail));
    }

    void throwIfAny() {
      if (!list.isEmpty()) {
        throw new Validation("the request breaks " + list.size() + " rule(s)", list);
      }
    }
  }
}
