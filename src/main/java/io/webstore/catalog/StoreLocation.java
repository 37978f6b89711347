package io.webstore.catalog;

/**
 * A physical store (for the store locator), kept in the {@code stores} table.
 *
 * @param latitude WGS84 degrees
 * @param longitude WGS84 degrees
 */
record StoreLocation(String id, String name, String street, String city, String region, String postalCode,
    String country, double latitude, double longitude, String phone) {}
