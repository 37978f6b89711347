package io.webstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The store's {@code /metrics} as a test reads it: one scrape, and the sample of one series in it. */
public final class Metrics {

  private Metrics() {}

  /** One scrape of the management port's {@code /metrics} (Prometheus text); fails unless it answers 200. */
  public static String scrape(Api api) {
    var response = api.management("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsString();
  }

  /**
   * The sample of {@code series} (its name and labels exactly as exposed, {@code name{label="value"}}) in {@code
   * text}; empty when the series is not there.
   */
  public static OptionalDouble sample(String text, String series) {
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return line.find() ? OptionalDouble.of(Double.parseDouble(line.group(1))) : OptionalDouble.empty();
  }
}
