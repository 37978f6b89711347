package io.webstore.inventory;

/** One line of a hold request: {@code quantity} units of {@code sku}. */
public record HoldLine(String sku, int quantity) {}
