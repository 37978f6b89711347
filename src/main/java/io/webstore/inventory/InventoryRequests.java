package io.webstore.inventory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Validation;
import io.webstore.platform.text.Sku;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Reads and validates the JSON bodies of the inventory addresses (the event bus is a boundary too). */
final class InventoryRequests {

  /** SKUs ({@link Sku}) and ids: no separators the ledger's keys or canonical lines use ('#', ',', '*', whitespace). */
  static final Pattern SKU = Sku.REGEX;
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  static final int MAX_LINES = 100;
  static final int MAX_SKUS = 500;
  static final int MAX_QUANTITY = 10_000;
  static final int MAX_RESTOCK = 1_000_000;
  static final int MAX_ON_HAND = 1_000_000_000;

  private InventoryRequests() {}

  static List<String> skus(JsonObject body) {
    return skus(array(body, "skus").getList());
  }

  /** The SKUs of an availability read, checked as on the bus (a local caller's too). */
  static List<String> skus(List<?> skus) {
    if (skus.size() > MAX_SKUS) {
      throw Validation.of("/skus", "at most " + MAX_SKUS + " SKUs per request");
    }
    List<String> out = new ArrayList<>(skus.size());
    for (int i = 0; i < skus.size(); i++) {
      out.add(matching(skus.get(i), SKU, "/skus/" + i, "a SKU"));
    }
    return out;
  }

  static String holdId(JsonObject body) {
    return matching(body.getValue("hold_id"), ID, "/hold_id", "a hold id (letters, digits, '.', '_', ':', '-')");
  }

  static List<HoldLine> lines(JsonObject body) {
    JsonArray lines = array(body, "lines");
    if (lines.isEmpty() || lines.size() > MAX_LINES) {
      throw Validation.of("/lines", "between 1 and " + MAX_LINES + " lines");
    }
    List<HoldLine> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!(lines.getValue(i) instanceof JsonObject line)) {
        throw Validation.of("/lines/" + i, "must be an object with sku and quantity");
      }
      out.add(new HoldLine(matching(line.getValue("sku"), SKU, "/lines/" + i + "/sku", "a SKU"),
          integer(line.getValue("quantity"), "/lines/" + i + "/quantity", 1, MAX_QUANTITY)));
    }
    return out;
  }

  static Optional<Duration> ttl(JsonObject body, InventorySettings config) {
    Object raw = body.getValue("ttl_seconds");
    return raw == null
        ? Optional.empty()
        : Optional.of(Duration.ofSeconds(integer(raw, "/ttl_seconds", 1, (int) config.maxHoldTtl().toSeconds())));
  }

  static String sku(JsonObject body) {
    return matching(body.getValue("sku"), SKU, "/sku", "a SKU");
  }

  static int quantity(JsonObject body) {
    return integer(body.getValue("quantity"), "/quantity", 1, MAX_RESTOCK);
  }

  static int onHand(JsonObject body) {
    return integer(body.getValue("on_hand"), "/on_hand", 0, MAX_ON_HAND);
  }

  /** The optional {@code sequence} of a set (absent: not ordered against the supply feed). */
  static OptionalLong sequence(JsonObject body) {
    Object raw = body.getValue("sequence");
    if (raw == null) {
      return OptionalLong.empty();
    }
    if (!(raw instanceof Integer || raw instanceof Long) || ((Number) raw).longValue() < 0) {
      throw Validation.of("/sequence", "must be an integer of 0 or more");
    }
    return OptionalLong.of(((Number) raw).longValue());
  }

  static String reason(JsonObject body) {
    if (!(body.getValue("reason") instanceof String reason) || reason.isBlank() || reason.length() > 200) {
      throw Validation.of("/reason", "must be a text of 1 to 200 characters");
    }
    return reason;
  }

  static String operationId(JsonObject body) {
    return matching(body.getValue("operation_id"), ID, "/operation_id",
        "an operation id (letters, digits, '.', '_', ':', '-'), unique per restock");
  }

  private static JsonArray array(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof JsonArray array)) {
      throw Validation.of("/" + field, "must be an array");
    }
    return array;
  }

  private static String matching(Object raw, Pattern pattern, String pointer, String what) {
    if (!(raw instanceof String text) || !pattern.matcher(text).matches()) {
      throw Validation.of(pointer, "must be " + what);
    }
    return text;
  }

  private static int integer(Object raw, String pointer, int min, int max) {
    if (!(raw instanceof Integer || raw instanceof Long) || ((Number) raw).longValue() < min
        || ((Number) raw).longValue() > max) {
      throw Validation.of(pointer, "must be an integer in [" + min + ", " + max + "]");
    }
    return ((Number) raw).intValue();
  }
}
