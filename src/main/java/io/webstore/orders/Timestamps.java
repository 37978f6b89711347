package io.webstore.orders;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Instants as orders store and show them: UTC, always with milliseconds ({@code 2025-01-31T09:15:00.000Z}), so that
 * sorting the text sorts the time ({@link Instant#toString()} drops a zero fraction, which breaks index order).
 */
final class Timestamps {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  /** The instant at millisecond precision, as it survives a round trip through {@link #format}. */
  public static Instant millis(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }
}
