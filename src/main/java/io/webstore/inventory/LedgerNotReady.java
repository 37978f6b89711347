package io.webstore.inventory;

/**
 * The live ledger lacks its ready marker: its data was lost or is being rebuilt, so it cannot answer without guessing.
 * Internal to the feature: the verticle turns it into {@code Unavailable}.
 */
final class LedgerNotReady extends RuntimeException {
  LedgerNotReady() {
    super("the stock ledger is being rebuilt", null, false, false);
  }
}
