package io.webstore.customer;

import io.webstore.platform.error.Validation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a customer agreed to. Everything is off until the customer turns it on. */
public record Consents(boolean marketingEmail, boolean marketingSms, boolean analytics) {

  public static final String MARKETING_EMAIL = "marketing_email";
  public static final String MARKETING_SMS = "marketing_sms";
  public static final String ANALYTICS = "analytics";
  /** The consent names, as they appear in JSON and in the store. */
  public static final List<String> NAMES = List.of(MARKETING_EMAIL, MARKETING_SMS, ANALYTICS);

  public static Consents none() {
    return new Consents(false, false, false);
  }

  /** Reads consents by name; a missing name is off. */
  public static Consents of(Map<String, Boolean> byName) {
    return new Consents(byName.getOrDefault(MARKETING_EMAIL, false), byName.getOrDefault(MARKETING_SMS, false),
        byName.getOrDefault(ANALYTICS, false));
  }

  public Map<String, Boolean> byName() {
    Map<String, Boolean> byName = new LinkedHashMap<>();
    byName.put(MARKETING_EMAIL, marketingEmail);
    byName.put(MARKETING_SMS, marketingSms);
    byName.put(ANALYTICS, analytics);
    return byName;
  }

  /** Checks a partial change: known names only, at least one. */
  public static Map<String, Boolean> requireChange(Map<String, Boolean> changes) {
    if (changes.isEmpty()) {
      throw Validation.of("/consents", "name at least one consent to change");
    }
    for (String name : changes.keySet()) {
      if (!NAMES.contains(name)) {
        throw Validation.of("/consents/" + name, "unknown consent " + name + "; known: " + String.join(", ", NAMES));
      }
    }
    return Map.copyOf(changes);
  }
}
