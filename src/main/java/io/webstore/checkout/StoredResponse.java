package io.webstore.checkout;

import java.util.Optional;

/**
 * The answer of a checkout as first given and replayed for its key: HTTP status, the exact body text and, for a
 * created order, its {@code Location}.
 */
public record StoredResponse(int status, String body, Optional<String> location) {}
