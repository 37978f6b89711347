package io.webstore.inventory;

import java.util.Map;

/**
 * A SKU's stock: durable units on hand per warehouse (summed over the warehouse's shards), their total, units held by
 * live holds, and {@code available = onHand - held} (negative when stock was set below what is held).
 */
public record StockLevel(String sku, Map<String, Integer> warehouses, int onHand, int held, int available) {}
