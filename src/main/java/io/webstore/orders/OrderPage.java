package io.webstore.orders;

import java.util.List;
import java.util.Optional;

/** One page of a listing, newest first; {@code nextCursor} continues it. */
public record OrderPage(List<Order> orders, Optional<String> nextCursor) {}
