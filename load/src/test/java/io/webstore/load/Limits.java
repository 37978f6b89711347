package io.webstore.load;

/**
 * The p99 each request must stay under for a run to pass, in milliseconds. Each simulation sets its defaults: loose
 * enough for a laptop that runs the store, its engines and Gatling on the same cores, tight enough to catch a store
 * that stalls. Override with {@code -DreadP99Ms=}, {@code -DwriteP99Ms=}, {@code -DauthP99Ms=} (GATLING_OPTS).
 *
 * @param readMs catalog pages, revalidations, cart views
 * @param writeMs add to cart, checkout, order history: each a durable write or a query
 * @param authMs sign-up and log-in: an Argon2 hash on a bounded pool, shed with 503 when it is full
 */
record Limits(int readMs, int writeMs, int authMs) {

  static Limits read(int readMs, int writeMs, int authMs) {
    return new Limits(LoadSettings.number("readP99Ms", readMs), LoadSettings.number("writeP99Ms", writeMs),
        LoadSettings.number("authP99Ms", authMs));
  }
}
