package io.webstore.flags;

import java.util.List;
import java.util.Map;

/**
 * What admins see: every flag in the table with its rule, and the runtime defaults that apply to flags not in it.
 *
 * @param flags    sorted by name
 * @param defaults from the runtime settings ({@code flags.defaults})
 */
public record FlagListing(List<Flag> flags, Map<String, Boolean> defaults) {
  public FlagListing {
    flags = List.copyOf(flags);
    defaults = Map.copyOf(defaults);
  }
}
