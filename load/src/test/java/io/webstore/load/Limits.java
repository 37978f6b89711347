package io.webstore.load;

/**
 * The p99 each request must stay under for a run to pass, in milliseconds; generous enough for a laptop that runs
 * the store, its engines and Gatling on the same cores, tight enough to catch a store that stalls. Override with
 * {@code -DreadP99Ms=}, {@code -DwriteP99Ms=}, {@code -DauthP99Ms=} (in {@code GATLING_OPTS} for make load).
 */
final class Limits {

  private Limits() {}

  /** Catalog pages, revalidations, cart views. */
  static int readP99Ms() {
    return LoadSettings.number("readP99Ms", 500);
  }

  /** Add to cart, checkout, order history: each a durable write or a query. */
  static int writeP99Ms() {
    return LoadSettings.number("writeP99Ms", 2000);
  }

  /** Sign-up and log-in: an Argon2 hash on a bounded pool, shed with 503 when it is full. */
  static int authP99Ms() {
    return LoadSettings.number("authP99Ms", 5000);
  }
}
