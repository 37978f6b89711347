package io.webstore.orders;

import io.webstore.platform.error.Validation;
import io.webstore.platform.text.PlainText;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an order goes. Checked field by field; a broken rule is a {@link Validation} naming the field as a JSON
 * pointer under {@code /shipping_address}. Full addresses never reach a log.
 */
public record ShippingAddress(String name, String line1, Optional<String> line2, String city, Optional<String> region,
    String postalCode, String country) {

  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$"); // ISO 3166-1 alpha-2
  private static final Pattern POSTAL_CODE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 -]{0,19}$");
  private static final String BASE = "/shipping_address/";

  public ShippingAddress {
    name = required("name", name, 100);
    line1 = required("line1", line1, 200);
    line2 = optional("line2", line2, 200);
    city = required("city", city, 100);
    region = optional("region", region, 100);
    postalCode = required("postal_code", postalCode, 20);
    if (!POSTAL_CODE.matcher(postalCode).matches()) {
      throw Validation.of(BASE + "postal_code", "postal_code may hold letters, digits, spaces and '-'");
    }
    if (country == null || !COUNTRY.matcher(country).matches()) { // the patterns admit no control characters
      throw Validation.of(BASE + "country", "country must be an ISO 3166-1 alpha-2 code such as DE or US");
    }
  }

  private static String required(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw Validation.of(BASE + field, field + " is required");
    }
    PlainText.require(BASE + field, value); // before strip(), which would drop a control character at either end
    String trimmed = value.strip();
    if (trimmed.length() > max) {
      throw Validation.of(BASE + field, field + " must have at most " + max + " characters");
    }
    return trimmed;
  }

  private static Optional<String> optional(String field, Optional<String> value, int max) {
    if (value == null || value.isEmpty() || value.get().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(required(field, value.get(), max));
  }
}
