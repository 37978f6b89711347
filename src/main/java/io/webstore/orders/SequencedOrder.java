package io.webstore.orders;

/**
 * An order with the sequence of the last status report applied to it.
 *
 * @param statusSequence 0 when no report was ever applied
 */
record SequencedOrder(Order order, long statusSequence) {}
