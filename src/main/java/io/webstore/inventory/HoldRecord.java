package io.webstore.inventory;

import java.util.List;

/**
 * The durable copy of a hold (table {@code inventory_holds}), from which a lost ledger is rebuilt. {@code lines} is
 * the canonical form of the requested lines (to recognise a retry), {@code parts} where the units were taken.
 */
record HoldRecord(String holdId, HoldState state, String lines, List<HoldPart> parts, long expiresAtMs) {

  public boolean expiredAt(long nowMs) {
    return state == HoldState.OPEN && expiresAtMs <= nowMs;
  }
}
