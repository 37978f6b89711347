package io.webstore.orders;

import java.util.Optional;

/**
 * A status the supply chain reports for an order ({@code supply.order-status}, or the status queue when its message
 * carries a sequence): applied only when its {@code sequence} is greater than the one stored with the order, so
 * replays and out-of-order deliveries change nothing.
 *
 * @param sequence monotonic per order, chosen by the sender
 * @param tracking the carrier's tracking reference, when the report has one
 */
record StatusReport(long sequence, Optional<String> tracking) {}
