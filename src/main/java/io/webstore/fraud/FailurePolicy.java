package io.webstore.fraud;

import java.util.Locale;

/** What a score is when the remote scorer fails or does not answer in time (per event, from config). */
enum FailurePolicy {
  /** Score with the local model instead (the default). */
  LOCAL,
  /** Fail open: allow. */
  ALLOW,
  /** Fail closed: block. */
  BLOCK;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static FailurePolicy fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
